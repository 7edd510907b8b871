/* test-ftrace-list.c - the copy of the ftrace function list kept between
 * runs of one boot (tracer/probes/ftrace_list.c): what its key holds, a
 * copy read back only under the key it was written with, and never one
 * that is cut short, a link, or changeable by others.  The guests read
 * and keep the real list (tests/vm/guest/smoke.sh). */
#include "tracer/probes/ftrace_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit_check.h"

static const char list[] = "ip_rcv\nudp_rcv [udp]\n";

static char *copy_file(const char *dir)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/ftrace-functions", dir);
	return path;
}

static void test_key(void)
{
	char *a = ipft_ftrace_list_key(), *b = ipft_ftrace_list_key();

	CHECK(a && strncmp(a, "boot ", 5) == 0 && strstr(a, "\nmodules "), "key: %s", a ? a : "NULL");
	CHECK(a && b && strcmp(a, b) == 0, "the same key twice");
	free(a);
	free(b);
}

static void test_round_trip(const char *dir)
{
	char *text;

	CHECK(ipft_ftrace_copy_write(dir, "boot x\nmodules 1\n", list, strlen(list)) == 0, "write");
	text = ipft_ftrace_copy_read(dir, "boot x\nmodules 1\n");
	CHECK(text && strcmp(text, list) == 0, "read back: %s", text ? text : "NULL");
	free(text);
	CHECK(!ipft_ftrace_copy_read(dir, "boot y\nmodules 1\n"), "another boot's copy");
	CHECK(!ipft_ftrace_copy_read(dir, "boot x\nmodules 2\n"), "other modules' copy");
}

static void test_cut_short(const char *dir)
{
	const char *key = "boot x\nmodules 1\n";

	CHECK(ipft_ftrace_copy_write(dir, key, list, strlen(list)) == 0, "write");
	CHECK(truncate(copy_file(dir), 30) == 0, "truncate");
	CHECK(!ipft_ftrace_copy_read(dir, key), "a copy cut inside its head");
}

static void test_not_trusted(const char *dir)
{
	const char *key = "boot x\nmodules 1\n";
	char link[300];

	CHECK(ipft_ftrace_copy_write(dir, key, list, strlen(list)) == 0, "write");
	CHECK(chmod(copy_file(dir), 0622) == 0, "chmod");
	CHECK(!ipft_ftrace_copy_read(dir, key), "a copy others can write");
	CHECK(chmod(copy_file(dir), 0600) == 0 && chmod(dir, 0777) == 0, "chmod");
	CHECK(!ipft_ftrace_copy_read(dir, key), "in a directory others can write");
	CHECK(ipft_ftrace_copy_write(dir, key, list, strlen(list)) < 0, "nor written there");
	CHECK(chmod(dir, 0700) == 0, "chmod");
	snprintf(link, sizeof(link), "%s.real", copy_file(dir));
	CHECK(rename(copy_file(dir), link) == 0 && symlink(link, copy_file(dir)) == 0, "link");
	CHECK(!ipft_ftrace_copy_read(dir, key), "a symbolic link");
	unlink(link);
	unlink(copy_file(dir));
}

/* Where the kernel's list cannot be read (this host: tracefs refuses
 * it), nothing is written either. */
static void test_no_tracefs(const char *dir)
{
	bool copied = true;
	char *text = ipft_ftrace_list_read(dir, &copied);
	struct stat st;

	if (text) {
		/* A machine that lets the list be read: it was kept. */
		CHECK(!copied && stat(copy_file(dir), &st) == 0, "the list read and kept");
		free(text);
		text = ipft_ftrace_list_read(dir, &copied);
		CHECK(text && copied, "then read from the copy");
	} else {
		CHECK(!copied && stat(copy_file(dir), &st) < 0, "no list, no copy");
	}
	free(text);
}

int main(void)
{
	char dir[] = "/tmp/ipft-test-ftrace-XXXXXX";

	if (!mkdtemp(dir) || geteuid() != 0) {
		fprintf(stderr, "FAIL: needs root and a temporary directory\n");
		return 1;
	}
	test_key();
	test_round_trip(dir);
	test_cut_short(dir);
	test_not_trusted(dir);
	unlink(copy_file(dir));
	test_no_tracefs(dir);
	unlink(copy_file(dir));
	rmdir(dir);
	if (!failures)
		printf("test-ftrace-list: all passed\n");
	return failures != 0;
}
