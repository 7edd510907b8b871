/* kv_text.h - an event's key/values (the collectors', -x) in the stdout
 * formats. */
#ifndef IPFT_KV_TEXT_H
#define IPFT_KV_TEXT_H

#include <stdio.h>

#include "codec/ipft_format.h"

/* ipftrace2's layout after the event's name: " ( len: 60 dev: veth0 )";
 * a key repeated in a row as " stack: a < b < c"; nothing without
 * key/values. */
void ipft_kv_aggregate(FILE *f, const struct ipft_event *e);
/* The key/values as members of the event's JSON object, each after a
 * comma: numbers as numbers, hex values and strings as strings; a key
 * repeated in a row becomes an array. */
void ipft_kv_json(FILE *f, const struct ipft_event *e);

#endif
