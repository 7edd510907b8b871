/* kv_text.c - an event's key/values in the stdout formats (kv_text.h). */
#include "tracer/output/kv_text.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

/* The value as text; strings are not NUL-terminated. */
static void put_value(FILE *f, const struct ipft_kv *kv)
{
	const unsigned char *b = kv->ptr;

	switch (kv->type) {
	case IPFT_VT_U64:
		fprintf(f, "%" PRIu64, kv->u64);
		break;
	case IPFT_VT_S64:
		fprintf(f, "%" PRId64, (int64_t)kv->u64);
		break;
	case IPFT_VT_HEX64:
		fprintf(f, "0x%" PRIx64, kv->u64);
		break;
	case IPFT_VT_STRING:
		fwrite(kv->ptr, 1, kv->len, f);
		break;
	default:
		for (size_t i = 0; i < kv->len; i++)
			fprintf(f, "%02x", b[i]);
	}
}


static void json_strn(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_value(FILE *f, const struct ipft_kv *kv)
{
	if (kv->type == IPFT_VT_U64 || kv->type == IPFT_VT_S64) {
		put_value(f, kv);
	} else if (kv->type == IPFT_VT_STRING) {
		json_strn(f, kv->ptr, kv->len);
	} else {
		fputc('"', f);
		put_value(f, kv);
		fputc('"', f);
	}
}

static bool same_key(const struct ipft_kv *a, const struct ipft_kv *b)
{
	return strcmp(a->key, b->key) == 0;
}

/* A key repeated in a row (a stack's frames) is said once: "stack: a < b". */
void ipft_kv_aggregate(FILE *f, const struct ipft_event *e)
{
	if (!e->n_kv)
		return;
	fputs(" (", f);
	for (size_t i = 0; i < e->n_kv; i++) {
		if (i && same_key(&e->kv[i - 1], &e->kv[i]))
			fputs(" <", f);
		else
			fprintf(f, " %s:", e->kv[i].key);
		fputc(' ', f);
		put_value(f, &e->kv[i]);
	}
	fputs(" )", f);
}

void ipft_kv_json(FILE *f, const struct ipft_event *e)
{
	for (size_t i = 0, n; i < e->n_kv; i += n) {
		for (n = 1; i + n < e->n_kv && same_key(&e->kv[i], &e->kv[i + n]); n++)
			;
		fputc(',', f);
		json_strn(f, e->kv[i].key, strlen(e->kv[i].key));
		fputc(':', f);
		if (n > 1)
			fputc('[', f);
		for (size_t j = 0; j < n; j++) {
			if (j)
				fputc(',', f);
			json_value(f, &e->kv[i + j]);
		}
		if (n > 1)
			fputc(']', f);
	}
}
