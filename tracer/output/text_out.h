/* text_out.h - stdout formats: ipftrace2's aggregate listing and JSON lines. */
#ifndef IPFT_TEXT_OUT_H
#define IPFT_TEXT_OUT_H

#include <stdio.h>
#include "tracer/cli/options.h"

struct ipft_packet;

/* 0, or -1 when writing to f failed (e.g. a closed pipe). */
int ipft_text_packet(FILE *f, enum ipft_output_format fmt, const struct ipft_packet *p);

#endif
