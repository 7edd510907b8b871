/* test-packets.c - the table of packets in flight (tracer/collect/packets.c).
 *
 * Random creations, lookups and finishes checked against a plain array
 * of what should be in the table: every live packet is found (also after
 * deletions moved entries of its probe run), finished ones are not, the
 * bound gives up on the least recently active packet first, expiry takes
 * exactly the idle ones, and hits past the inline ones and past the cap
 * are kept and flagged as they should be.  A packet whose first hit moves
 * takes its new place in the write order, and is written once.
 */
#include "tracer/collect/packets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first failure ends the test: a table that lost track of a packet
 * goes on to corrupt itself. */
#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);  \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			exit(1);                                              \
		}                                                             \
	} while (0)

#define MAX_INFLIGHT 500
#define IDS 20000

/* What the table should hold: live[id] and each packet's last activity. */
static unsigned char live[IDS];
static uint64_t active[IDS];
static uint64_t done_id, n_done;
static uint32_t done_flags;

static void on_done(struct ipft_packet *p, void *arg)
{
	(void)arg;
	done_id = p->packet_id;
	done_flags = p->flags;
	n_done++;
	CHECK(p->packet_id < IDS && live[p->packet_id], "finished a packet not live: %llu",
	      (unsigned long long)p->packet_id);
	if (p->packet_id < IDS)
		live[p->packet_id] = 0;
}

static size_t count_live(void)
{
	size_t n = 0;
	for (size_t i = 0; i < IDS; i++)
		n += live[i];
	return n;
}

static void random_ops(void)
{
	struct ipft_packets *t = ipft_packets_new(MAX_INFLIGHT, 64, 128, on_done, NULL);
	uint64_t now = 1;

	srand(7);
	CHECK(t != NULL, "no table");
	for (int op = 0; op < 200000; op++, now++) {
		uint64_t id = (uint64_t)rand() % IDS;
		struct ipft_packet *p;

		/* A live packet is always found, whatever moved in the table. */
		CHECK(!live[id] || ipft_packets_get(t, id, now, now, false, false),
		      "live packet %llu not found", (unsigned long long)id);
		switch (rand() % 3) {
		case 0: /* a record arrives: create or touch */
			if (!live[id] && ipft_packets_inflight(t) == MAX_INFLIGHT) {
				/* The least recently active packet must go. */
				uint64_t oldest = 0, when = UINT64_MAX;
				for (uint64_t i = 0; i < IDS; i++)
					if (live[i] && active[i] < when) {
						when = active[i];
						oldest = i;
					}
				uint64_t before = n_done;
				p = ipft_packets_get(t, id, now, now, true, true);
				CHECK(n_done == before + 1 && done_id == oldest &&
					      (done_flags & IPFT_TRACE_PARTIAL),
				      "bound: gave up on %llu, wanted %llu",
				      (unsigned long long)done_id, (unsigned long long)oldest);
			} else {
				p = ipft_packets_get(t, id, now, now, true, true);
			}
			CHECK(p && p->packet_id == id, "get %llu", (unsigned long long)id);
			live[id] = 1;
			active[id] = now;
			break;
		case 1: /* a lookup without creating */
			p = ipft_packets_get(t, id, now, now, false, false);
			CHECK(!!p == !!live[id], "lookup of %llu: %s", (unsigned long long)id,
			      p ? "found a finished packet" : "lost a live packet");
			break;
		default: /* the packet's free arrives */
			if (!live[id])
				break;
			p = ipft_packets_get(t, id, now, now, false, false);
			CHECK(p != NULL, "live %llu not found", (unsigned long long)id);
			if (p)
				ipft_packets_finish(t, p, IPFT_TRACE_COMPLETE);
			CHECK(!live[id] && done_id == id, "finish %llu", (unsigned long long)id);
			break;
		}
		if (op % 1000 == 0)
			CHECK(ipft_packets_inflight(t) == count_live(), "in flight %zu, want %zu",
			      ipft_packets_inflight(t), count_live());
	}
	/* Every live packet is still found. */
	for (uint64_t i = 0; i < IDS; i++)
		if (live[i])
			CHECK(ipft_packets_get(t, i, now, now, false, false) != NULL, "lost %llu",
			      (unsigned long long)i);
	/* Expiry takes exactly the packets idle since before the cut. */
	uint64_t cut = now - 300;
	size_t idle = 0, busy = 0;
	for (uint64_t i = 0; i < IDS; i++)
		if (live[i] && active[i] < cut)
			idle++;
		else if (live[i])
			busy++;
	uint64_t before = n_done;
	ipft_packets_expire(t, now, cut);
	CHECK(n_done - before == idle && ipft_packets_inflight(t) == busy,
	      "expire: %llu finished, %zu idle; %zu left, %zu busy",
	      (unsigned long long)(n_done - before), idle, ipft_packets_inflight(t), busy);
	ipft_packets_flush_all(t);
	CHECK(ipft_packets_inflight(t) == 0 && count_live() == 0, "flush_all left packets");
	ipft_packets_free(t);
}

static void hits_and_capture(void)
{
	struct ipft_packets *t = ipft_packets_new(8, 40, 64, on_done, NULL);
	struct ipft_packet *p;
	struct ipft_capture c = { .type = IPFT_REC_CAPTURE, .packet_id = 5 };

	memset(live, 0, sizeof(live));
	p = ipft_packets_get(t, 5, 1, 1, true, true);
	live[5] = 1;
	for (int i = 0; i < 50; i++) {
		struct ipft_slot *h = ipft_packets_add_hit(t, p);
		CHECK((i < 40) == (h != NULL), "hit %d: %s", i, h ? "kept past the cap" : "refused");
		if (h)
			h->ts = (uint64_t)i;
	}
	CHECK(p->n_hits == 40 && (p->flags & IPFT_TRACE_TRUNCATED), "cap: %zu hits, flags %#x",
	      p->n_hits, p->flags);
	for (size_t i = 0; i < p->n_hits; i++)
		CHECK(p->hits[i].ts == i, "hit %zu moved to the heap wrongly", i);
	c.caplen = 64;
	CHECK(ipft_packets_set_capture(t, p, &c) && p->captured, "64 bytes fit a 64-byte snaplen");
	c.caplen = 65;
	CHECK(!ipft_packets_set_capture(t, p, &c), "65 bytes taken past a 64-byte snaplen");
	ipft_packets_finish(t, p, IPFT_TRACE_COMPLETE);
	/* A reused packet starts empty, its hits inline again. */
	p = ipft_packets_get(t, 6, 2, 2, true, true);
	live[6] = 1;
	CHECK(p->n_hits == 0 && !p->captured && p->flags == 0 && p->first_hit == -1 &&
		      p->hits == p->inline_hits, "a reused packet kept state");
	ipft_packets_free(t);
}

/* The write order: packets written by their first hit's time, also after
 * that time moved (twice for one packet: its old entries are left in the
 * heap and must neither be written nor hold the others back), each once;
 * then the same after the table ends with packets still waiting. */
static uint64_t written[8];
static size_t n_written;

static void on_written(struct ipft_packet *p, void *arg)
{
	(void)arg;
	CHECK(n_written < 8, "more packets written than made");
	written[n_written++] = p->packet_id;
}

static void order_moves(void)
{
	struct ipft_packets *t = ipft_packets_new(100, 64, 128, on_written, NULL);
	struct ipft_packet *p[5];
	static const uint64_t want[] = { 2, 3, 5, 4, 1 };

	ipft_packets_set_order(t, 1000000, 0);
	for (int i = 0; i < 5; i++)
		p[i] = ipft_packets_get(t, (uint64_t)i + 1, 1, 100 * ((uint64_t)i + 1), true, true);
	ipft_packets_set_first_ts(t, p[0], 450);  /* 1: from the front to the end */
	ipft_packets_set_first_ts(t, p[0], 420);  /* and again, still last */
	ipft_packets_set_first_ts(t, p[4], 350);  /* 5: between 3 and 4 */
	for (int i = 0; i < 5; i++)
		ipft_packets_finish(t, p[i], 0);
	CHECK(n_written == 0, "written before their time came: %zu", n_written);
	ipft_packets_expire(t, 1000, 0);
	CHECK(n_written == 5, "%zu of 5 written", n_written);
	for (int i = 0; i < 5; i++)
		CHECK(written[i] == want[i], "place %d: packet %llu, not %llu", i,
		      (unsigned long long)written[i], (unsigned long long)want[i]);
	ipft_packets_free(t);

	/* Left waiting when the table ends (ASan: nothing freed twice). */
	t = ipft_packets_new(100, 64, 128, on_written, NULL);
	ipft_packets_set_order(t, 1000000, 1000000);
	p[0] = ipft_packets_get(t, 1, 1, 100, true, true);
	p[1] = ipft_packets_get(t, 2, 1, 200, true, true);
	ipft_packets_set_first_ts(t, p[0], 300);
	ipft_packets_finish(t, p[0], 0);
	ipft_packets_finish(t, p[1], 0);
	ipft_packets_free(t);
}

int main(void)
{
	random_ops();
	hits_and_capture();
	order_moves();
	printf("test-packets: ok\n");
	return 0;
}
