/* test-text-out.c - the aggregate listing of a packet's events
 * (tracer/output/text_out.c), without a kernel: -t function_graph in
 * ipftrace2's layout, "name() {" ... "}", with ipft's extra data after
 * it; flat traces as before. */
#include "tracer/output/text_out.h"
#include "tracer/collect/packets.h"
#include "codec/ipft_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit_check.h"

static struct ipft_event ev(uint8_t kind, uint16_t depth, const char *name)
{
	return (struct ipft_event){ .ts_ns = 1000000000ull + depth, .kind = kind, .depth = depth,
				    .name = name };
}

/* The listing of events[0..n), the function column and what follows
 * it, one line per event (the header and the timestamps cut). */
static char *listing(const struct ipft_event *events, size_t n)
{
	struct ipft_packet *p = calloc(1, sizeof(*p) + 64);
	char *buf = NULL, *out = calloc(1, 4096), *line, *save;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	p->events = (struct ipft_event *)events;
	p->n_events = n;
	ipft_text_packet(f, IPFT_OUT_AGGREGATE, p);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strlen(line) > 26 && line[10] == '.') /* "         1.000000000 0000 " */
			strcat(strcat(out, line + 26), "\n");
	free(buf);
	free(p);
	return out;
}

static void test_graph(void)
{
	struct ipft_event e[] = {
		ev(IPFT_KIND_FUNC_ENTRY, 0, "ip_rcv"),
		ev(IPFT_KIND_FUNC_ENTRY, 1, "ip_rcv_core"),
		ev(IPFT_KIND_FUNC_RETURN, 1, "ip_rcv_core"),
		ev(IPFT_KIND_FUNC_ENTRY, 1, "kfree_skb_reason"), /* no traced return */
		ev(IPFT_KIND_TRACEPOINT, 1, "kfree_skb"),
		ev(IPFT_KIND_FUNC_RETURN, 0, "ip_rcv"),
		ev(IPFT_KIND_FUNC_RETURN, 0, "ip_local_deliver"), /* its entry not traced */
	};
	char *l;

	e[2].has = IPFT_HAS_RETVAL | IPFT_HAS_DURATION;
	e[2].retval = 0;
	e[2].duration_ns = 1200;
	l = listing(e, sizeof(e) / sizeof(e[0]));
	CHECK(strcmp(l, "ip_rcv() {\n"
			"  ip_rcv_core() {\n"
			"  }  ret=0  1200ns\n"
			"  kfree_skb_reason\n"
			"  kfree_skb\n"
			"}\n"
			"} /* ip_local_deliver */\n") == 0,
	      "ipftrace2's function_graph layout:\n%s", l);
	free(l);
}

static void test_flat(void)
{
	struct ipft_event e[] = {
		ev(IPFT_KIND_TRACEPOINT, 0, "net_dev_queue"),
		ev(IPFT_KIND_FUNC_ENTRY, 0, "ip_rcv"),
		ev(IPFT_KIND_FUNC_ENTRY, 0, "ip_rcv"),
	};
	char *l = listing(e, 3);

	CHECK(strcmp(l, "net_dev_queue\nip_rcv\nip_rcv\n") == 0, "a flat trace, names:\n%s", l);
	free(l);
}

int main(void)
{
	test_graph();
	test_flat();
	if (failures) {
		fprintf(stderr, "test-text-out: %d checks failed\n", failures);
		return 1;
	}
	printf("test-text-out: all checks passed\n");
	return 0;
}
