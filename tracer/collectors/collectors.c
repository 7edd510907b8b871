/* collectors.c - the table of collectors and the key/values of a
 * packet's events (collectors.h). */
#include "tracer/collectors/collectors.h"

#include <stdlib.h>
#include <string.h>

extern const struct ipft_collector ipft_collector_meta, ipft_collector_task,
	ipft_collector_stack, ipft_collector_tpargs, ipft_collector_ext;

const struct ipft_collector *const ipft_collectors[] = {
	&ipft_collector_meta,
	&ipft_collector_task,
	&ipft_collector_stack,
	&ipft_collector_tpargs,
	&ipft_collector_ext,
	NULL,
};

#define N_COLLECTORS (sizeof(ipft_collectors) / sizeof(ipft_collectors[0]) - 1)
/* Room per slot of a packet: a data slot holds at most this many values,
 * and the strings made of them this many bytes; per 8 bytes of the
 * collectors' own records (a stack's frames) one value of this many. */
#define KV_PER_SLOT 16
#define STR_PER_SLOT 256
#define STR_PER_WORD 128

struct ipft_collect {
	uint32_t mask;
	struct ipft_collect_env env; /* what load() was given: kept */
	void *loaded[N_COLLECTORS];
	void *state[N_COLLECTORS];
	/* The collectors in use, by index: the ones each event asks. */
	uint8_t active[N_COLLECTORS];
	size_t n_active;
	struct ipft_kv_out out;
};

struct ipft_collect *ipft_collect_new(uint32_t mask, const struct ipft_collect_env *env)
{
	struct ipft_collect *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->mask = mask;
	if (env)
		c->env = *env;
	for (size_t i = 0; i < N_COLLECTORS; i++) {
		const struct ipft_collector *k = ipft_collectors[i];

		if (!(mask & k->bit))
			continue;
		c->state[i] = calloc(1, k->state_size ? k->state_size : 1);
		if (!c->state[i]) {
			ipft_collect_free(c);
			return NULL;
		}
		if (k->load)
			c->loaded[i] = k->load(&c->env);
		c->active[c->n_active++] = (uint8_t)i;
	}
	return c;
}

void ipft_collect_free(struct ipft_collect *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < N_COLLECTORS; i++) {
		if (c->loaded[i] && ipft_collectors[i]->unload)
			ipft_collectors[i]->unload(c->loaded[i]);
		free(c->state[i]);
	}
	free(c->out.kv);
	free(c->out.str);
	free(c);
}

/* Grows *p to hold n elements of size sz; false when out of memory. */
static bool reserve(void **p, size_t *cap, size_t n, size_t sz)
{
	void *v;

	if (n <= *cap)
		return true;
	if (!(v = realloc(*p, n * sz)))
		return false;
	*p = v;
	*cap = n;
	return true;
}

int ipft_collect_begin(struct ipft_collect *c, const struct ipft_collect_packet *pk)
{
	struct ipft_kv_out *o = &c->out;
	size_t kv_cap = o->cap, str_cap = o->str_cap, words = pk->extra_len / 8;

	if (!reserve((void **)&o->kv, &kv_cap, pk->n_slots * KV_PER_SLOT + words, sizeof(*o->kv)) ||
	    !reserve((void **)&o->str, &str_cap, pk->n_slots * STR_PER_SLOT + words * STR_PER_WORD, 1))
		return -1;
	o->cap = kv_cap;
	o->str_cap = str_cap;
	o->n = 0;
	o->str_len = 0;
	for (size_t i = 0; i < N_COLLECTORS; i++) {
		if (!c->state[i])
			continue;
		memset(c->state[i], 0, ipft_collectors[i]->state_size);
		if (ipft_collectors[i]->begin)
			ipft_collectors[i]->begin(c->state[i], c->loaded[i], pk);
	}
	return 0;
}

void ipft_collect_event(struct ipft_collect *c, const struct ipft_slot *hit,
			const struct ipft_slot *data, size_t n_data, struct ipft_event *e)
{
	size_t first = c->out.n;

	for (size_t j = 0; j < c->n_active; j++) {
		size_t i = c->active[j];

		ipft_collectors[i]->event(c->state[i], c->loaded[i], hit, data, n_data, &c->out);
	}
	e->kv = c->out.n > first ? &c->out.kv[first] : NULL;
	e->n_kv = c->out.n - first;
}
