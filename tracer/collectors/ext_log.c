/* ext_log.c - what in a verifier log says why it refused (ext.h): a
 * refused extension is told in a few lines, not the thousands of lines
 * of the program it was linked into. */
#include "tracer/collectors/ext.h"

#include <stdio.h>
#include <string.h>

/* The log's counts at its end, not why it refused. */
static bool is_summary(const char *line, size_t n)
{
	static const char *const heads[] = { "processed ", "verification time", "stack depth" };

	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (n >= strlen(heads[i]) && strncmp(line, heads[i], strlen(heads[i])) == 0)
			return true;
	return n == 0;
}

/* Where the line that ends at end (exclusive) starts. */
static const char *line_start(const char *log, const char *end)
{
	while (end > log && end[-1] != '\n')
		end--;
	return end;
}

/* The start of the line before the one that starts at s; NULL at the top. */
static const char *prev_line(const char *log, const char *s)
{
	return s > log ? line_start(log, s - 1) : NULL;
}

/* "4303: (67) r0 <<= 32": an instruction the verifier went through. */
static bool is_insn(const char *s)
{
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == ':';
}

/* Appends the line at s (up to a newline), without the register states
 * the verifier writes after an instruction ("   ; frame1: R0=..."). */
static size_t put_line(const char *s, char *out, size_t n, size_t len)
{
	size_t l = strcspn(s, "\n");
	const char *state = is_insn(s) ? strstr(s, "  ; ") : NULL;
	int w;

	if (state && (size_t)(state - s) < l)
		l = (size_t)(state - s);
	while (l && s[l - 1] == ' ')
		l--;
	w = snprintf(out + n, len - n, "\n    %.*s", (int)l, s);
	return w < 0 || (size_t)w >= len - n ? len - 1 : n + (size_t)w;
}

/* The error (the lines after the last instruction), that instruction,
 * and the source line the log quotes before it. */
void ipft_ext_log_lines(const char *log, char *out, size_t len)
{
	const char *end = log + strlen(log), *s = line_start(log, end), *insn, *src;
	size_t n = 0;

	out[0] = 0;
	/* The counts at the end are not why. */
	while (is_summary(s, (size_t)(end - s)) && s > log) {
		end = s - 1;
		s = line_start(log, end);
	}
	for (insn = s; insn && !is_insn(insn); insn = prev_line(log, insn))
		;
	for (src = insn; src && *src != ';'; src = prev_line(log, src))
		;
	if (src && src != insn)
		n = put_line(src, out, n, len);
	for (s = insn ? insn : s; s && s < end && n + 1 < len; s += strcspn(s, "\n") + 1)
		n = put_line(s, out, n, len);
}
