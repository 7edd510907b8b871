/* read_file.h - a kernel-made text file (procfs, tracefs) read whole. */
#ifndef IPFT_READ_FILE_H
#define IPFT_READ_FILE_H

#include <stddef.h>

/* The whole file, NUL-terminated, its length in *len (if len is not
 * NULL); NULL if it cannot be opened or read, errno says why.  Such files
 * say their size is 0 and hand out a page or so per read: no stat, no
 * stdio, one growing buffer. */
char *ipft_read_file(const char *path, size_t *len);
/* The same from an open file, to its end (the fd stays open). */
char *ipft_read_fd(int fd, size_t *len);

#endif
