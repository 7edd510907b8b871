/* trim_info.c - the RUN_INFO record of a trimmed file (trim_internal.h).
 *
 * Its key/value attributes are copied but the command line (with
 * --cmdline), and a key "trimmed" says what ipft trim left out.  The
 * kernel release stays: a drop location's sym+off is read against it.
 */
#include "tracer/trim/trim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *trim_what(unsigned what, char *buf, size_t len)
{
	static const char *const names[] = { "payload", "cmdline", "host", "addresses" };
	size_t used = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((what & (1u << i)) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 names[i]);
	return buf;
}

/* One KV attribute of r as the encoder takes it; its key copied to key. */
static void kv_of(const struct ipft_rec *r, const struct ipft_attr_view *a, char *key,
		  struct ipft_kv *kv)
{
	memcpy(key, a->key, a->key_len);
	key[a->key_len] = 0;
	*kv = (struct ipft_kv){ .key = key, .type = a->vtype };
	if ((a->vtype == IPFT_VT_U64 || a->vtype == IPFT_VT_S64 || a->vtype == IPFT_VT_HEX64) &&
	    a->kval_len == 8) {
		kv->u64 = ipft_rec_u64(r, a->kval_off);
	} else {
		kv->ptr = a->kval;
		kv->len = a->kval_len;
	}
}

static bool left_out(const struct trimmer *t, const struct ipft_attr_view *a)
{
	return a->type != IPFT_ATTR_KV ||
	       ((t->what & TRIM_CMDLINE) && a->key_len == 7 && memcmp(a->key, "cmdline", 7) == 0) ||
	       (a->key_len == 7 && memcmp(a->key, "trimmed", 7) == 0);
}

/* How many attributes r holds (its header's count is not trusted). */
static size_t count_attrs(const struct ipft_rec *r)
{
	struct ipft_attr_view a;
	size_t cur = 0, n = 0;

	while (ipft_rec_next_attr(r, NULL, &cur, &a, NULL, 0) == 1)
		n++;
	return n;
}

/* The attributes of r (checked) that stay, in kv, their keys in keys;
 * how many. */
static size_t kept_attrs(const struct trimmer *t, const struct ipft_rec *r, struct ipft_kv *kv,
			 char (*keys)[256])
{
	struct ipft_attr_view a;
	size_t cur = 0, n = 0;

	while (ipft_rec_next_attr(r, NULL, &cur, &a, NULL, 0) == 1) {
		if (!left_out(t, &a)) {
			kv_of(r, &a, keys[n], &kv[n]);
			n++;
		}
	}
	return n;
}

int trim_run_info(struct trimmer *t, uint64_t offset, const uint8_t *rec, size_t len)
{
	struct ipft_rec r;
	char err[256], what[300];
	struct ipft_kv *kv = NULL;
	char (*keys)[256] = NULL;
	uint8_t *out = NULL;
	size_t n, out_len;
	int rc = -1;

	if (ipft_rec_check(rec, len, err, sizeof(err)) < 0 ||
	    ipft_rec_parse(&r, rec, len, err, sizeof(err)) < 0) {
		snprintf(what, sizeof(what), "malformed RUN_INFO record: %s", err);
		return trim_bad_input(t, offset, what);
	}
	n = count_attrs(&r) + 1;  /* and "trimmed" */
	kv = calloc(n, sizeof(*kv));
	keys = calloc(n, sizeof(*keys));
	if (kv && keys) {
		n = kept_attrs(t, &r, kv, keys);
		kv[n++] = (struct ipft_kv){ .key = "trimmed", .type = IPFT_VT_STRING,
					    .ptr = trim_what(t->what, what, sizeof(what)),
					    .len = strlen(what) };
		if (ipft_info_encode(IPFT_REC_RUN_INFO, kv, n, &out, &out_len) == 0)
			rc = pcapng_write_cb(t->w, IPFT_PEN, out, out_len, true);
	}
	if (rc < 0 && !pcapng_writer_errno(t->w))
		snprintf(t->err, sizeof(t->err), "out of memory");
	free(out);
	free(keys);
	free(kv);
	return rc;
}
