/* help.c - ipft --help, written from the option table by group. */
#include "tracer/cli/cli_internal.h"

#include <stdio.h>
#include <string.h>

#define HELP_WIDTH 80
#define HELP_INDENT 26 /* where each option's text starts */

static const char usage_head[] =
"Usage: ipft [OPTIONS] [EXPRESSION]\n"
"       ipft trim IN OUT [--payload] [--cmdline] [--host] [--addresses]\n"
"Follow packets (struct sk_buff) through the Linux kernel with eBPF.\n";

/* ipft trim's flags, in the columns of the options above; ipft trim
 * --help prints it too (tracer/trim/trim.c). */
const char ipft_trim_help[] =
"Trim a file for a bug report: ipft trim IN OUT [FLAGS] writes a copy of ipft's\n"
"file IN to OUT without what the flags name (none: all four):\n"
"      --payload           the packets' bytes after their headers\n"
"      --cmdline           the command line (section comment, RUN_INFO)\n"
"      --host              the machine's OS build and hardware (section header)\n"
"      --addresses         kernel addresses in the traces (sym+off stays)\n"
"It needs no privileges; exit status 1: bad usage or IN, 2: writing OUT failed.\n";

static const char usage_tail[] =
"\n"
"Numbers: 0x1f is hexadecimal and a leading 0 octal (--dport 011 is port 9), as in\n"
"pcap expressions; seconds are decimal (0.5). Options with a value are given once.\n"
"\n"
"Exit status: 0 stopped as asked; 1 bad usage or the kernel/privileges do not allow\n"
"tracing; 2 writing the output failed (the file holds every packet before the failure).\n"
"\n"
"Examples:\n"
"  ipft -w trace.pcapng                  trace every packet until Ctrl-C\n"
"  ipft -o aggregate -m 0xbeef           packets marked 0xbeef, listed per packet\n"
"  ipft -o json -c 100                   JSON lines, stop after 100 packets\n"
"  ipft -w - -i eth0 | wireshark -k -i - watch live in Wireshark\n"
"  ipft -l -r kfree                      which attach points match 'kfree'\n"
"  ipft trim t.pcapng report.pcapng      a copy of t.pcapng for a bug report\n";

/* TEXT in lines from column HELP_INDENT to HELP_WIDTH, broken at spaces;
 * the cursor is at column COL. */
static void print_wrapped(const char *text, int col)
{
	const int room = HELP_WIDTH - HELP_INDENT;

	if (col > HELP_INDENT - 2) { /* a long option name: its text below it */
		putchar('\n');
		col = 0;
	}
	printf("%*s", HELP_INDENT - col, "");
	while (*text) {
		int n = (int)strlen(text);

		if (n > room) {
			for (n = room; n > 0 && text[n] != ' '; n--)
				;
			if (n == 0)
				n = room;
		}
		printf("%.*s\n", n, text);
		for (text += n; *text == ' '; text++)
			;
		if (*text)
			printf("%*s", HELP_INDENT, "");
	}
}

/* " (aggregate or json; default aggregate)": what the table knows beyond
 * the help text. */
static const char *option_facts(const struct ipft_option *o, char *buf, size_t len)
{
	char what[256];

	if (o->type == IPFT_OPT_ENUM)
		ipft_option_choices(o, what, sizeof(what));
	else
		ipft_option_range(o, what, sizeof(what));
	if (o->def && what[0])
		snprintf(buf, len, " (%s; default %s)", what, o->def);
	else if (o->def)
		snprintf(buf, len, " (default %s)", o->def);
	else if (what[0])
		snprintf(buf, len, " (%s)", what);
	else
		buf[0] = 0;
	return buf;
}

static void print_option(const struct ipft_option *o)
{
	char text[1024], facts[320];
	const char *sep = o->arg ? " " : "", *arg = o->arg ? o->arg : "";
	int col;

	if (!o->name)
		col = printf("  %s", o->arg);
	else if (o->letter)
		col = printf("  -%c, --%s%s%s", o->letter, o->name, sep, arg);
	else
		col = printf("      --%s%s%s", o->name, sep, arg);
	snprintf(text, sizeof(text), "%s%s", o->help, option_facts(o, facts, sizeof(facts)));
	print_wrapped(text, col);
}

void ipft_cli_help(void)
{
	fputs(usage_head, stdout);
	for (int g = 0; g < IPFT_N_GROUPS; g++) {
		const struct ipft_option_group_info *info = &ipft_option_groups[g];

		putchar('\n');
		if (info->title && info->note)
			printf("%s (%s):\n", info->title, info->note);
		else if (info->title)
			printf("%s:\n", info->title);
		for (size_t i = 0; i < ipft_n_options; i++)
			if (ipft_options[i].group == (enum ipft_option_group)g)
				print_option(&ipft_options[i]);
	}
	putchar('\n');
	fputs(ipft_trim_help, stdout);
	fputs(usage_tail, stdout);
}
