/* trigger_parse.c - --trigger's conditions parsed (also linked into the
 * extcap, which checks its options with the same table). */
#include "tracer/filter/trigger.h"
#include "tracer/cli/options.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* latency>TIME: a number with its unit (ns, us, ms, s). */
static int parse_latency(const char *s, size_t len, uint64_t *ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char buf[32], *end;
	double v;

	if (len == 0 || len >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	v = strtod(buf, &end);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double x = v * units[i].ns;
		if (strcmp(end, units[i].unit) == 0 && isfinite(x) && x >= 1 && x < 1e18) {
			*ns = (uint64_t)x;
			return 0;
		}
	}
	return -1;
}

/* reason=NAME: the kernel's names, upper case, digits and '_'. */
static int parse_reason(const char *s, size_t len, struct ipft_trigger *t)
{
	if (len == 0 || len >= sizeof(t->reason_name) || t->reason_name[0])
		return -1;
	for (size_t i = 0; i < len; i++)
		if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_')
			return -1;
	memcpy(t->reason_name, s, len);
	t->reason_name[len] = 0;
	return 0;
}

static int parse_func(const char *s, struct ipft_trigger *t)
{
	regex_t re;

	if (!s[0] || regcomp(&re, s, REG_EXTENDED | REG_NOSUB))
		return -1;
	regfree(&re);
	t->func_regex = s;
	return 0;
}

/* One condition of len bytes at s. */
static int parse_one(const char *s, size_t len, struct ipft_trigger *t)
{
	if (len == 4 && strncmp(s, "drop", 4) == 0) {
		t->bits |= IPFT_TRIGGER_DROP;
		return 0;
	}
	if (len > 7 && strncmp(s, "reason=", 7) == 0 && parse_reason(s + 7, len - 7, t) == 0) {
		t->bits |= IPFT_TRIGGER_REASON;
		return 0;
	}
	if (len > 8 && strncmp(s, "latency>", 8) == 0 && !(t->bits & IPFT_TRIGGER_LATENCY) &&
	    parse_latency(s + 8, len - 8, &t->latency_ns) == 0) {
		t->bits |= IPFT_TRIGGER_LATENCY;
		return 0;
	}
	return -1;
}

int ipft_trigger_parse(const char *spec, struct ipft_trigger *t, char *why, size_t whylen)
{
	const char *s = spec;

	memset(t, 0, sizeof(*t));
	t->spec = spec;
	while (*s) {
		size_t len = strcspn(s, ",");
		if (strncmp(s, "func=", 5) == 0) {
			if (parse_func(s + 5, t) < 0)
				goto bad;
			t->bits |= IPFT_TRIGGER_FUNC;
			return 0;
		}
		if (parse_one(s, len, t) < 0)
			goto bad;
		s += len;
		if (*s == ',' && *++s == 0)
			goto bad;
	}
	if (t->bits)
		return 0;
bad:
	snprintf(why, whylen, "want drop, reason=NAME, latency>TIME (ns, us, ms, s), "
		 "func=REGEX (last), comma-separated");
	memset(t, 0, sizeof(*t));
	return -1;
}
