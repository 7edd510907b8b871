/* kernel_types.h - the few kernel types ipft's BPF programs read.
 *
 * Hand-written instead of a generated vmlinux.h (see docs/design.md): each
 * struct lists only the fields we use, and preserve_access_index makes
 * every access a CO-RE relocation that libbpf resolves against the running
 * kernel's BTF, whatever the real layout is.  Field names must match the
 * kernel's; their order and the anonymous unions around them do not matter.
 */
#ifndef IPFT_KERNEL_TYPES_H
#define IPFT_KERNEL_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_QUEUE = 22,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
};

/* bpf_ringbuf_output()/submit() flags and bpf_ringbuf_query()'s question. */
#define BPF_RB_NO_WAKEUP 1
#define BPF_RB_FORCE_WAKEUP 2
#define BPF_RB_AVAIL_DATA 0

/* Device types (net_device.type) whose frames start with an Ethernet
 * header, its length, and a header offset the kernel has not set
 * (sk_buff.mac_header, network_header). */
#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772
#define ETH_HLEN 14
#define SKB_HEADER_UNSET ((__u16)~0U)

/* Whether an skb's headers start with an Ethernet header: MAC and
 * network header set, ETH_HLEN apart. */
static inline __attribute__((always_inline)) bool ipft_eth_shaped(__u16 mac, __u16 net)
{
	return mac != SKB_HEADER_UNSET && net != SKB_HEADER_UNSET && net - mac == ETH_HLEN;
}

struct bpf_raw_tracepoint_args {
	__u64 args[0];
};

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct net_device {
	char name[16];
	int ifindex;
	unsigned short type;
	possible_net_t nd_net;
} __attribute__((preserve_access_index));

struct sock_common {
	possible_net_t skc_net;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct sk_buff *next; /* a list's next (skb_segment's segments) */
	struct net_device *dev;
	struct sock *sk;
	unsigned int len;
	unsigned int data_len;
	__u8 cloned : 1;
	__u8 pkt_type : 3;
	__be16 protocol;
	__u16 transport_header;
	__u16 network_header;
	__u16 mac_header;
	__u32 mark;
	int skb_iif;
	unsigned int tail;
	unsigned int end;     /* the shared info follows the data: head + end */
	unsigned char *head;
	unsigned char *data;
} __attribute__((preserve_access_index));

/* At skb->head + skb->end (the meta collector). */
struct skb_shared_info {
	unsigned short gso_size;
	unsigned short gso_segs;
	unsigned int gso_type;
} __attribute__((preserve_access_index));

/* x86-64 registers at a kprobe: the six register arguments are in
 * di, si, dx, cx, r8, r9 (the function backends read the skb from there). */
struct pt_regs {
	unsigned long ip;     /* a kprobe's: its address + 1 (the kprobe backend, before 5.15) */
	unsigned long r9;
	unsigned long r8;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long ax;     /* at a return probe: the value returned */
} __attribute__((preserve_access_index));

#endif
