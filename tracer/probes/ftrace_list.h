/* ftrace_list.h - the text of available_filter_functions, the functions
 * ftrace can attach, and a copy of it kept between runs of one boot.
 *
 * The kernel formats the list anew at each read: 40 000 to 60 000 lines,
 * each a symbol lookup, a quarter of a second under emulation (tens of
 * milliseconds on hardware), most of what a start with the function
 * backends spends discovering.  The list changes only when modules come
 * or go, so root's runs keep a copy in /run/ipft (a tmpfs: gone at the
 * next boot), headed by what it is true of: the boot's id and the loaded
 * modules.  A copy with another head is read from the kernel again and
 * replaced; one not owned by root, or writable by others, is not used.
 */
#ifndef IPFT_FTRACE_LIST_H
#define IPFT_FTRACE_LIST_H

#include <stdbool.h>
#include <stddef.h>

#define IPFT_FTRACE_COPY_DIR "/run/ipft"

/* The list's text (malloc'd, NUL-terminated), from the copy in dir when
 * it holds this boot's and these modules' list (*copied set), else from
 * tracefs (the copy then written, when dir can be made or is root's);
 * dir NULL: tracefs only.  NULL when tracefs cannot be read. */
char *ipft_ftrace_list_read(const char *dir, bool *copied);

/* What a copy is true of: "boot ID\nmodules HASH\n" (malloc'd); NULL if
 * the boot's id cannot be read. */
char *ipft_ftrace_list_key(void);
/* The copy in dir if its head is key, without the head; NULL otherwise. */
char *ipft_ftrace_copy_read(const char *dir, const char *key);
/* Writes text under key to dir's copy, replacing it in one rename;
 * -1 (errno) if it could not. */
int ipft_ftrace_copy_write(const char *dir, const char *key, const char *text, size_t len);

#endif
