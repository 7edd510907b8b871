/* ipft-fields.c - the collectors' keys (tracer/collectors/, -x) as fields
 * of their own: ipft.dev, ipft.netns, ipft.len, ipft.mark, ipft.comm, ...,
 * filterable and usable as columns.  A key this table does not know, or
 * with another value type than the collector writes (an extension's), is
 * shown as ipft.data.key / ipft.data.value by the dissector instead. */
#include "wireshark-plugin/ws_compat.h"
#include "wireshark-plugin/packet-ipft.h"
#include "codec/ipft_format.h"

#include <epan/packet.h>

typedef struct {
	const char *key;
	guint8 vtype;         /* the IPFT_VT_* the collector writes */
	int hf;
} key_field_t;

static key_field_t fields[] = {
	{ "dev", IPFT_VT_STRING, -1 },
	{ "ifindex", IPFT_VT_U64, -1 },
	{ "netns", IPFT_VT_U64, -1 },
	{ "len", IPFT_VT_U64, -1 },
	{ "data_len", IPFT_VT_U64, -1 },
	{ "mark", IPFT_VT_HEX64, -1 },
	{ "protocol", IPFT_VT_HEX64, -1 },
	{ "pkt_type", IPFT_VT_STRING, -1 },
	{ "cloned", IPFT_VT_U64, -1 },
	{ "gso_size", IPFT_VT_U64, -1 },
	{ "gso_segs", IPFT_VT_U64, -1 },
	{ "gso_type", IPFT_VT_STRING, -1 },
	{ "context", IPFT_VT_STRING, -1 },
	{ "pid", IPFT_VT_U64, -1 },
	{ "tgid", IPFT_VT_U64, -1 },
	{ "comm", IPFT_VT_STRING, -1 },
	{ "stack", IPFT_VT_STRING, -1 },
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

#define U64_FIELD(i, name, abbrev, base, blurb) \
	{ &fields[i].hf, { name, abbrev, FT_UINT64, base, NULL, 0, blurb, HFILL } }
#define STR_FIELD(i, name, abbrev, blurb) \
	{ &fields[i].hf, { name, abbrev, FT_STRING, BASE_NONE, NULL, 0, blurb, HFILL } }

void ipft_fields_register(int proto)
{
	static hf_register_info hf[] = {
		STR_FIELD(0, "Device", "ipft.dev", "The skb's device from this event on (-x meta)"),
		U64_FIELD(1, "Interface index", "ipft.ifindex", BASE_DEC, NULL),
		U64_FIELD(2, "Network namespace", "ipft.netns", BASE_DEC,
			  "Inode of the device's (else the socket's) network namespace"),
		U64_FIELD(3, "Length", "ipft.len", BASE_DEC, "skb->len"),
		U64_FIELD(4, "Data length", "ipft.data_len", BASE_DEC,
			  "skb->data_len: bytes not in the linear part"),
		{ &fields[5].hf, { "Mark", "ipft.mark", FT_UINT32, BASE_HEX, NULL, 0, "skb->mark",
				   HFILL } },
		{ &fields[6].hf, { "Protocol", "ipft.protocol", FT_UINT16, BASE_HEX, NULL, 0,
				   "skb->protocol (EtherType)", HFILL } },
		STR_FIELD(7, "Packet type", "ipft.pkt_type", "skb->pkt_type: host, otherhost, ..."),
		U64_FIELD(8, "Cloned", "ipft.cloned", BASE_DEC, "1: the skb is a clone"),
		U64_FIELD(9, "GSO size", "ipft.gso_size", BASE_DEC, NULL),
		U64_FIELD(10, "GSO segments", "ipft.gso_segs", BASE_DEC, NULL),
		STR_FIELD(11, "GSO type", "ipft.gso_type", "SKB_GSO_* names, joined by |"),
		STR_FIELD(12, "Context", "ipft.context",
			  "What the CPU ran: task, softirq or irq (-x task)"),
		U64_FIELD(13, "PID", "ipft.pid", BASE_DEC, "Thread id of the task"),
		U64_FIELD(14, "TGID", "ipft.tgid", BASE_DEC, "Process id of the task"),
		STR_FIELD(15, "Command", "ipft.comm", "The task's comm"),
		STR_FIELD(16, "Stack frame", "ipft.stack",
			  "The kernel stack at a drop (-x stack), one per frame, innermost first"),
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(hf) == N_FIELDS);
	proto_register_field_array(proto, hf, array_length(hf));
}

gboolean ipft_fields_add(proto_tree *et, tvbuff_t *ptvb, packet_info *pinfo,
			 const struct ipft_rec *r, const struct ipft_attr_view *a)
{
	for (size_t i = 0; i < N_FIELDS; i++) {
		const key_field_t *f = &fields[i];

		if (strlen(f->key) != a->key_len || memcmp(f->key, a->key, a->key_len) ||
		    f->vtype != a->vtype)
			continue;
		if (f->vtype == IPFT_VT_STRING) {
			char *s = (char *)wmem_strndup(pinfo->pool, (const char *)a->kval, a->kval_len);
			proto_tree_add_string(et, f->hf, ptvb, (gint)a->kval_off, (gint)a->kval_len, s);
			return TRUE;
		}
		guint64 v;
		if (!ipft_kv_int(r, a, &v))
			return FALSE;
		switch (proto_registrar_get_ftype(f->hf)) {
		case FT_UINT16:
		case FT_UINT32:
			if (v > G_MAXUINT32)
				return FALSE;
			proto_tree_add_uint(et, f->hf, ptvb, (gint)a->kval_off, (gint)a->kval_len,
					    (guint32)v);
			return TRUE;
		default:
			proto_tree_add_uint64(et, f->hf, ptvb, (gint)a->kval_off, (gint)a->kval_len,
					      v);
			return TRUE;
		}
	}
	return FALSE;
}
