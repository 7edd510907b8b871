/* trigger.h - --trigger: which packets leave the kernel (the flight
 * recorder; the kernel side is bpf/trigger.bpf.h). */
#ifndef IPFT_TRIGGER_H
#define IPFT_TRIGGER_H

#include <stddef.h>

struct bpf_object;
struct ipft_attachment;
struct ipft_drop_reasons;
struct ipft_trigger;

/* Parses SPEC, a comma-separated list of conditions (drop, reason=NAME,
 * latency>TIME, func=REGEX; func= takes the rest of SPEC, commas and
 * all); 0, or -1 with why in why. */
int ipft_trigger_parse(const char *spec, struct ipft_trigger *t, char *why, size_t whylen);
/* reason=NAME to the running kernel's value; 0 or -1 with a message. */
int ipft_trigger_resolve(struct ipft_trigger *t, const struct ipft_drop_reasons *reasons,
			 char *err, size_t errlen);
/* func=REGEX: marks the attach points it names in the trigger_at map
 * (after load, before attach); none matched is an error.  0 or -1. */
int ipft_trigger_mark(struct bpf_object *obj, const struct ipft_trigger *t,
		      const struct ipft_attachment *parts, size_t n_parts, char *err,
		      size_t errlen);

#endif
