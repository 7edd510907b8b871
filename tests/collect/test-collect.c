/* test-collect.c - the collectors' tracer side (tracer/collectors/), without
 * a kernel: -x parsed, hit and data slots as the BPF side sends them made
 * into key/values (only what changed since the packet's previous event),
 * and the assembler making events of the hits alone, with their data.
 */
#include "tracer/collect/assemble.h"
#include "tracer/collect/clock.h"
#include "tracer/collectors/collectors.h"
#include "tracer/collectors/ext.h"
#include "tracer/collectors/ext_slot.h"
#include "tracer/probes/probe.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit_check.h"

/* The event's key/values as "key=value ..." (strings unquoted). */
static const char *kvs(const struct ipft_event *e)
{
	static char buf[1024];
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < e->n_kv && n < sizeof(buf); i++) {
		const struct ipft_kv *kv = &e->kv[i];
		if (kv->type == IPFT_VT_STRING)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=%.*s", n ? " " : "",
					      kv->key, (int)kv->len, (const char *)kv->ptr);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
					      kv->type == IPFT_VT_HEX64 ? "%s%s=0x%llx" : "%s%s=%llu",
					      n ? " " : "", kv->key, (unsigned long long)kv->u64);
	}
	return buf;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static struct ipft_slot hit(uint8_t kind, uint32_t len, uint32_t data_len)
{
	struct ipft_slot s = { .kind = kind, .ts = 1 };

	if (kind == IPFT_HIT_RETURN)
		s.retval = -1;
	else
		s.skb.len = len, s.skb.data_len = data_len;
	return s;
}

static struct ipft_slot dev_slot(const char *name, uint32_t ifindex, uint32_t netns)
{
	struct ipft_slot s;
	struct ipft_meta_dev *d = (struct ipft_meta_dev *)&s;

	memset(&s, 0xee, sizeof(s)); /* what the slot held before: not read */
	strncpy(d->ifname, name, sizeof(d->ifname));
	d->ifindex = ifindex;
	d->netns = netns;
	d->kind = IPFT_DATA_META_DEV;
	return s;
}

static struct ipft_slot skb_slot(uint32_t mark, uint16_t gso_size, uint32_t gso_type)
{
	struct ipft_slot s = { 0 };
	struct ipft_meta_skb *m = (struct ipft_meta_skb *)&s;

	m->mark = mark;
	m->protocol = __builtin_bswap16(0x86dd);
	m->pkt_type = 3;
	m->gso_size = gso_size;
	m->gso_segs = gso_size ? 2 : 0;
	m->gso_type = gso_type;
	m->kind = IPFT_DATA_META_SKB;
	return s;
}

static struct ipft_slot task_slot(uint8_t context, uint32_t pid, const char *comm)
{
	struct ipft_slot s = { 0 };
	struct ipft_task_data *t = (struct ipft_task_data *)&s;

	t->context = context;
	t->pid = pid;
	t->tgid = pid - 1;
	strncpy(t->comm, comm, sizeof(t->comm));
	t->kind = IPFT_DATA_TASK;
	return s;
}

static void test_parse(void)
{
	uint32_t m = 99;
	char why[160] = "";

	CHECK(ipft_collect_parse("meta,task", &m, why, sizeof(why)) == 0 &&
	      m == (IPFT_COLLECT_META | IPFT_COLLECT_TASK), "meta,task (0x%x)", m);
	CHECK(ipft_collect_parse("none", &m, why, sizeof(why)) == 0 && m == 0, "none");
	CHECK(ipft_collect_parse("task", &m, why, sizeof(why)) == 0 && m == IPFT_COLLECT_TASK,
	      "task alone");
	CHECK(ipft_collect_parse("meta,bogus", &m, why, sizeof(why)) < 0 &&
	      strstr(why, "no such collector") && strstr(why, "meta task"),
	      "an unknown name, and the known ones: %s", why);
	CHECK(ipft_collect_parse("meta,", &m, why, sizeof(why)) < 0 && strstr(why, "empty"),
	      "an empty name: %s", why);
	CHECK(ipft_collect_parse("", &m, why, sizeof(why)) < 0, "nothing");
}

/* Meta: everything on the first event, then only what changed. */
static void test_meta_changes(void)
{
	struct ipft_collect *c = ipft_collect_new(IPFT_COLLECT_META, NULL);
	struct ipft_event e[6];
	struct ipft_slot s[12];
	size_t n = 0;

	s[n++] = hit(IPFT_HIT_TRACEPOINT, 60, 0);
	s[n++] = dev_slot("vetha", 5, 4026531840u);
	s[n++] = skb_slot(0, 0, 0);
	s[n++] = hit(IPFT_HIT_TRACEPOINT, 60, 0);       /* 3: nothing changed */
	s[n++] = hit(IPFT_HIT_ENTRY, 46, 0);            /* 4: a hop, shorter */
	s[n++] = dev_slot("vethb", 5, 4026532001u);
	s[n++] = hit(IPFT_HIT_RETURN, 0, 0);            /* 6: a return: nothing */
	s[n++] = hit(IPFT_HIT_TRACEPOINT, 46, 1400);    /* 7: data_len, mark, gso */
	s[n++] = skb_slot(0xbeef, 1400, 1);
	CHECK(c && ipft_collect_begin(c, &(struct ipft_collect_packet){ .n_slots = n }) == 0, "a collector and room");
	ipft_collect_event(c, &s[0], &s[1], 2, &e[0]);
	ipft_collect_event(c, &s[3], NULL, 0, &e[1]);
	ipft_collect_event(c, &s[4], &s[5], 1, &e[2]);
	ipft_collect_event(c, &s[6], NULL, 0, &e[3]);
	ipft_collect_event(c, &s[7], &s[8], 1, &e[4]);
	CHECK(strcmp(kvs(&e[0]), "dev=vetha ifindex=5 netns=4026531840 len=60 data_len=0 mark=0x0 "
		     "protocol=0x86dd pkt_type=otherhost cloned=0 gso_size=0 gso_segs=0 "
		     "gso_type=none") == 0, "the first event has everything: %s", kvs(&e[0]));
	CHECK(e[1].n_kv == 0, "no change, nothing: %s", kvs(&e[1]));
	CHECK(strcmp(kvs(&e[2]), "dev=vethb netns=4026532001 len=46") == 0,
	      "a hop: the device, the namespace and len, not the same ifindex: %s", kvs(&e[2]));
	CHECK(e[3].n_kv == 0, "a return says nothing: %s", kvs(&e[3]));
	static const char changed[] = "data_len=1400 mark=0xbeef gso_size=1400 gso_segs=2 gso_type=";
	CHECK(starts_with(kvs(&e[4]), changed),
	      "what changed, in the collector's order: %s", kvs(&e[4]));
	CHECK(strstr(kvs(&e[4]), "gso_type=tcpv4") || strstr(kvs(&e[4]), "gso_type=0x1"),
	      "gso_type by its kernel name (from BTF) or its bit: %s", kvs(&e[4]));
	/* The next packet starts afresh. */
	CHECK(ipft_collect_begin(c, &(struct ipft_collect_packet){ .n_slots = 3 }) == 0, "room again");
	ipft_collect_event(c, &s[0], &s[1], 2, &e[5]);
	CHECK(e[5].n_kv == 12, "a new packet's first event has all 12 again (%zu)", e[5].n_kv);
	ipft_collect_free(c);
}

/* Meta: a first hit whose capture went out with it sends no device slot;
 * its skb slot says the device is the capture's. */
static void test_meta_dev_in_capture(void)
{
	struct ipft_collect *c = ipft_collect_new(IPFT_COLLECT_META, NULL);
	struct ipft_capture cap = { .ifindex = 7, .netns = 4026532009u, .ifname = "vethc" };
	struct ipft_event e[3];
	struct ipft_slot s[4];

	s[0] = hit(IPFT_HIT_TRACEPOINT, 60, 0);
	s[1] = skb_slot(0, 0, 0);
	((struct ipft_meta_skb *)&s[1])->aux = IPFT_META_SKB_DEV_IN_CAPTURE;
	s[2] = hit(IPFT_HIT_TRACEPOINT, 60, 0);
	CHECK(c && ipft_collect_begin(c, &(struct ipft_collect_packet){ .n_slots = 3,
									 .capture = &cap }) == 0,
	      "a collector and room");
	ipft_collect_event(c, &s[0], &s[1], 1, &e[0]);
	ipft_collect_event(c, &s[2], NULL, 0, &e[1]);
	CHECK(starts_with(kvs(&e[0]), "dev=vethc ifindex=7 netns=4026532009 len=60 ") &&
	      e[0].n_kv == 12, "the first event's device is the capture's: %s", kvs(&e[0]));
	CHECK(e[1].n_kv == 0, "and stays: %s", kvs(&e[1]));
	/* The capture never arrived: the device is not said, the rest is. */
	CHECK(ipft_collect_begin(c, &(struct ipft_collect_packet){ .n_slots = 3 }) == 0, "room");
	ipft_collect_event(c, &s[0], &s[1], 1, &e[2]);
	CHECK(starts_with(kvs(&e[2]), "len=60 data_len=0 mark=0x0 ") && e[2].n_kv == 9,
	      "without the capture, no device: %s", kvs(&e[2]));
	ipft_collect_free(c);
}

/* Task: what the slot says, each time the kernel sends one. */
static void test_task(void)
{
	struct ipft_collect *c = ipft_collect_new(IPFT_COLLECT_TASK | IPFT_COLLECT_META, NULL);
	struct ipft_slot s[] = { hit(IPFT_HIT_TRACEPOINT, 60, 0), dev_slot("lo", 1, 1),
				 skb_slot(0, 0, 0), task_slot(IPFT_CTX_TASK, 4242, "sender-x"),
				 hit(IPFT_HIT_TRACEPOINT, 60, 0),
				 task_slot(IPFT_CTX_SOFTIRQ, 7, "") };
	struct ipft_event e[2];

	CHECK(c && ipft_collect_begin(c, &(struct ipft_collect_packet){ .n_slots = 6 }) == 0, "a collector and room");
	ipft_collect_event(c, &s[0], &s[1], 3, &e[0]);
	ipft_collect_event(c, &s[4], &s[5], 1, &e[1]);
	CHECK(strstr(kvs(&e[0]), "gso_type=none context=task pid=4242 tgid=4241 comm=sender-x") != NULL,
	      "meta's keys, then the task's: %s", kvs(&e[0]));
	CHECK(strcmp(kvs(&e[1]), "context=softirq") == 0, "a softirq has no task: %s", kvs(&e[1]));
	ipft_collect_free(c);
}

/* ---- through the assembler --------------------------------------------- */

static struct ipft_probe probe_v[] = {
	{ .name = "net_dev_queue", .type = IPFT_PROBE_TRACEPOINT },
	{ .name = "kfree_skb", .type = IPFT_PROBE_TRACEPOINT },
};
static struct ipft_probe_set probes = { .v = probe_v, .n = 2 };
static char written[2][1024];
static size_t n_written, written_events;

static int on_write(const struct ipft_packet *p, void *arg)
{
	(void)arg;
	written_events = p->n_events;
	for (size_t i = 0; i < p->n_events && i < 2; i++)
		snprintf(written[i], sizeof(written[i]), "%s %s", p->events[i].name,
			 kvs(&p->events[i]));
	n_written++;
	return 0;
}

static void test_assembler(void)
{
	struct ipft_clock clock;
	struct ipft_assembler_cfg cfg = {
		.probes = &probes, .max_inflight = 8, .max_hits = 64, .snaplen = 64,
		.clock = &clock, .collect = IPFT_COLLECT_META, .write = on_write,
	};
	struct ipft_live r = { .type = IPFT_REC_HITS, .packet_id = 1,
			       .flags = IPFT_LIVE_FIRST | IPFT_LIVE_FREE | IPFT_LIVE_FREED_HERE };
	struct ipft_assembler *a;

	ipft_clock_fixed(&clock, 0);
	a = ipft_assembler_new(&cfg);
	r.slot[r.n++] = hit(IPFT_HIT_TRACEPOINT, 60, 0);
	r.slot[r.n++] = dev_slot("eth0", 2, 3);
	r.slot[r.n++] = skb_slot(0, 0, 0);
	r.slot[r.n] = hit(IPFT_HIT_TRACEPOINT, 40, 0);
	r.slot[r.n].probe_id = 1;
	r.slot[r.n].ts = 2;
	r.free_slot = (uint8_t)r.n++;
	r.n_data = 2;
	ipft_assembler_record(a, &r, offsetof(struct ipft_live, slot) + r.n * sizeof(r.slot[0]));
	CHECK(n_written == 1 && written_events == 2, "two hits, two events (%zu)", written_events);
	CHECK(strncmp(written[0], "net_dev_queue dev=eth0 ifindex=2 netns=3 len=60 ", 48) == 0,
	      "the first with its data: %s", written[0]);
	CHECK(strcmp(written[1], "kfree_skb len=40") == 0, "the free: %s", written[1]);
	CHECK(ipft_assembler_counts(a).ring_bytes ==
	      offsetof(struct ipft_live, slot) + 4 * sizeof(r.slot[0]), "ring bytes counted");
	ipft_assembler_free(a);
	ipft_clock_free(&clock);
}

/* An extension's struct as ext_btf.c reads it from BTF:
 * { __u32 len; __u32 gso_type (flags); __s16 delta; char name[6];
 *   __u8 state (enum); } */
static struct ipft_ext_name flag_names[] = { { "tcpv4", 1 }, { "dodgy", 2 } };
static struct ipft_ext_name state_names[] = { { "established", 1 } };
static struct ipft_ext_member ext_members[] = {
	{ "len", 0, 4, IPFT_EXT_UINT, NULL, 0 },
	{ "gso_type", 4, 4, IPFT_EXT_FLAGS, flag_names, 2 },
	{ "delta", 8, 2, IPFT_EXT_SINT, NULL, 0 },
	{ "name", 10, 6, IPFT_EXT_STRING, NULL, 0 },
	{ "state", 16, 1, IPFT_EXT_ENUM, state_names, 1 },
	{ "addr", 24, 8, IPFT_EXT_HEX, NULL, 0 },
};

static struct ipft_slot ext_part(const uint8_t *buf, uint8_t part)
{
	struct ipft_data_slot d = { .kind = IPFT_DATA_EXT, .aux = part };
	struct ipft_slot s;

	memcpy(d.data, buf + part * IPFT_EXT_PART, IPFT_EXT_PART);
	memcpy(&s, &d, sizeof(s));
	return s;
}

/* An extension's data: every member on the first event with data, then
 * the members whose bytes changed; typed, and flagged as the extension's. */
static void test_ext(void)
{
	struct ipft_ext x = { .path = "t.bpf.o", .size = 32, .n = 6, .m = ext_members };
	struct ipft_collect *c = ipft_collect_new(IPFT_COLLECT_EXT, &(struct ipft_collect_env){ .ext = &x });
	uint8_t buf[IPFT_EXT_BUF] = { 0 };
	uint32_t len = 60, flags = 1 | 4;
	int16_t delta = -3;
	uint64_t addr = 0xffff8880deadbeefull;
	struct ipft_slot s[7];
	struct ipft_event e[3];

	memcpy(buf, &len, 4);
	memcpy(buf + 4, &flags, 4);
	memcpy(buf + 8, &delta, 2);
	memcpy(buf + 10, "vethab", 6); /* no NUL: the array's length ends it */
	buf[16] = 1;
	memcpy(buf + 24, &addr, 8);
	s[0] = hit(IPFT_HIT_TRACEPOINT, 0, 0);
	s[1] = ext_part(buf, 0);
	s[2] = ext_part(buf, 1);
	len = 46;
	memcpy(buf, &len, 4);
	buf[16] = 7;
	s[3] = hit(IPFT_HIT_ENTRY, 0, 0);
	s[4] = ext_part(buf, 0);
	s[5] = ext_part(buf, 1);
	s[6] = hit(IPFT_HIT_ENTRY, 0, 0);
	CHECK(c && ipft_collect_begin(c, &(struct ipft_collect_packet){ .n_slots = 7 }) == 0,
	      "the extension's collector and room");
	ipft_collect_event(c, &s[0], &s[1], 2, &e[0]);
	ipft_collect_event(c, &s[3], &s[4], 2, &e[1]);
	ipft_collect_event(c, &s[6], NULL, 0, &e[2]);
	CHECK(strcmp(kvs(&e[0]), "len=60 gso_type=tcpv4|0x4 delta=18446744073709551613 name=vethab "
		     "state=established addr=0xffff8880deadbeef") == 0,
	      "the first event has every member: %s", kvs(&e[0]));
	CHECK(e[0].n_kv == 6 && e[0].kv[2].type == IPFT_VT_S64 && e[0].kv[5].type == IPFT_VT_HEX64,
	      "typed: a signed member is S64, a pointer HEX64");
	for (size_t i = 0; i < e[0].n_kv; i++)
		CHECK(e[0].kv[i].flags & IPFT_KV_EXT, "%s is flagged as the extension's",
		      e[0].kv[i].key);
	CHECK(strcmp(kvs(&e[1]), "len=46 state=7") == 0,
	      "then what changed; an enum value without a name is its number: %s", kvs(&e[1]));
	CHECK(e[2].n_kv == 0, "no data, nothing: %s", kvs(&e[2]));
	ipft_collect_free(c);
}

int main(void)
{
	test_parse();
	test_meta_changes();
	test_meta_dev_in_capture();
	test_task();
	test_ext();
	test_assembler();
	if (failures) {
		fprintf(stderr, "test-collect: %d checks failed\n", failures);
		return 1;
	}
	printf("test-collect: all checks passed\n");
	return 0;
}
