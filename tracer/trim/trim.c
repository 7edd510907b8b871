/* trim.c - ipft trim IN OUT [--payload] [--cmdline] [--host] [--addresses]
 * (trim.h): the command line, then every block of IN through
 * trim_block() to OUT.  A failure leaves no OUT behind: half a trimmed
 * file could be attached to a report by mistake.
 */
#include "tracer/trim/trim.h"
#include "tracer/trim/trim_internal.h"
#include "tracer/cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXIT_USAGE 1   /* bad usage or input (ipft.8, EXIT STATUS) */
#define EXIT_OUTPUT 2  /* writing OUT failed */

int trim_bad_input(struct trimmer *t, uint64_t offset, const char *what)
{
	snprintf(t->err, sizeof(t->err), "%s: offset %llu: %s", t->in,
		 (unsigned long long)offset, what);
	return -1;
}

/* Trimming needs no privileges: an ipft given capabilities (make
 * install-capabilities) drops them before it reads a file. */
static void drop_capabilities(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (getuid() != 0)
		syscall(SYS_capset, &h, d);
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "ipft trim: ");
	fprintf(stderr, msg, arg);
	fprintf(stderr, " (see ipft trim --help)\n");
	return EXIT_USAGE;
}

/* The flags into t->what, IN and OUT into t->in, t->out; 0, 1 (help
 * printed) or -1 (error printed). */
static int parse_args(int argc, char **argv, struct trimmer *t)
{
	static const struct option longopts[] = {
		{ "payload", no_argument, NULL, TRIM_PAYLOAD },
		{ "cmdline", no_argument, NULL, TRIM_CMDLINE },
		{ "host", no_argument, NULL, TRIM_HOST },
		{ "addresses", no_argument, NULL, TRIM_ADDRESSES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(ipft_trim_help, stdout);
			return 1;
		}
		if (c == '?') {
			usage_error("unknown option '%s'", argv[optind - 1]);
			return -1;
		}
		t->what |= (unsigned)c;
	}
	if (argc - optind != 2) {
		usage_error("%s", argc - optind < 2 ? "needs IN and OUT" : "takes one IN and one OUT");
		return -1;
	}
	t->in = argv[optind];
	t->out = argv[optind + 1];
	if (!t->what)
		t->what = TRIM_ALL;
	return 0;
}

/* OUT must not be IN: IN is read whole first, but a failure removes OUT. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static int open_files(struct trimmer *t)
{
	if (same_file(t->in, t->out)) {
		snprintf(t->err, sizeof(t->err), "%s: OUT must be another file than IN", t->out);
		return EXIT_USAGE;
	}
	t->r = pcapng_reader_open_path(t->in, t->err, sizeof(t->err));
	if (!t->r)
		return EXIT_USAGE;
	t->w = pcapng_writer_open_path(t->out, t->err, sizeof(t->err));
	return t->w ? 0 : EXIT_OUTPUT;
}

/* Every block of IN; 0 or the exit status. */
static int copy_blocks(struct trimmer *t)
{
	struct pcapng_block b;
	int rc;

	while ((rc = pcapng_reader_next(t->r, &b)) == 1) {
		t->err[0] = 0;
		if (trim_block(t, &b) == 0)
			continue;
		if (pcapng_writer_errno(t->w) || !t->err[0]) {
			snprintf(t->err, sizeof(t->err), "writing %s failed: %s", t->out,
				 pcapng_writer_error(t->w));
			return EXIT_OUTPUT;
		}
		return EXIT_USAGE;
	}
	if (rc < 0) {
		snprintf(t->err, sizeof(t->err), "%s: %s", t->in, pcapng_reader_error(t->r));
		return EXIT_USAGE;
	}
	return trim_flush_pending(t) < 0 ? EXIT_OUTPUT : 0;
}

static int close_out(struct trimmer *t, int status)
{
	if (status == 0 && pcapng_writer_flush(t->w) < 0) {
		snprintf(t->err, sizeof(t->err), "writing %s failed: %s", t->out,
			 pcapng_writer_error(t->w));
		status = EXIT_OUTPUT;
	}
	if (pcapng_writer_close(t->w) < 0 && status == 0) {
		snprintf(t->err, sizeof(t->err), "writing %s failed: closing it failed", t->out);
		status = EXIT_OUTPUT;
	}
	t->w = NULL;
	return status;
}

/* A failed OUT is removed: a regular file only, never a device such
 * as /dev/full or a pipe. */
static void remove_out(const char *out)
{
	struct stat st;

	if (strcmp(out, "-") != 0 && lstat(out, &st) == 0 && S_ISREG(st.st_mode))
		unlink(out);
}

static void report(const struct trimmer *t)
{
	char what[64];

	if (strcmp(t->out, "-") == 0)
		return;
	fprintf(stderr, "ipft trim: %llu packets written to %s, without: %s",
		(unsigned long long)t->packets, t->out, trim_what(t->what, what, sizeof(what)));
	if (t->left_out)
		fprintf(stderr, " (and %llu blocks or options ipft does not write)",
			(unsigned long long)t->left_out);
	fputc('\n', stderr);
}

int ipft_trim_main(int argc, char **argv)
{
	struct trimmer t = { .what = 0 };
	int status, rc;

	drop_capabilities();
	rc = parse_args(argc, argv, &t);
	if (rc)
		return rc > 0 ? 0 : EXIT_USAGE;
	pcapng_opts_init(&t.opts);
	status = open_files(&t);
	if (status == 0)
		status = copy_blocks(&t);
	if (t.w) {
		status = close_out(&t, status);
		if (status)
			remove_out(t.out);
	}
	if (status)
		fprintf(stderr, "ipft trim: %s\n", t.err);
	else
		report(&t);
	ipft_trace_free(t.pending.t);
	pcapng_reader_close(t.r);
	pcapng_opts_free(&t.opts);
	free(t.linktypes);
	return status;
}
