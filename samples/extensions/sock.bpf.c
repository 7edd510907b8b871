// SPDX-License-Identifier: GPL-2.0
/* sock.bpf.c - an ipft extension (ipft -e sock.bpf.o): where the skb is
 * and whose it is at each event: its device's name, its mark, and the
 * socket it belongs to (address family, TCP state).
 *
 *   clang -target bpf -O2 -g -c sock.bpf.c -o sock.bpf.o
 *   ipft -e sock.bpf.o -o json 'tcp port 80'
 *
 * Every field is read with CO-RE: the structs below name the fields, the
 * running kernel's BTF says where they are.
 */
#include <ipft/extension.h>

/* Values of sk->sk_state (include/net/tcp_states.h). */
enum tcp_state {
	none = 0,
	established = 1,
	syn_sent,
	syn_recv,
	fin_wait1,
	fin_wait2,
	time_wait,
	close,
	close_wait,
	last_ack,
	listen,
	closing,
	new_syn_recv,
	bound_inactive,
} __ipft_ref(tcp_states);

/* A member of an enum type is written by its enumerator's name. */
enum sock_family {
	no_socket = 0,
	unix_socket = 1,
	inet = 2,
	inet6 = 10,
	packet = 17,
	netlink = 16,
};

struct sock_event {
	char dev[16];
	__u32 mark __ipft_fmt_hex;
	__u8 state __ipft_fmt_enum(tcp_states);   /* 0 (none) without a socket */
	enum sock_family family;
} __ipft_event_struct;

IPFT_CHECK_EVENT(struct sock_event);

struct net_device {
	char name[16];
} __attribute__((preserve_access_index));

struct sock_common {
	unsigned short skc_family;
	volatile unsigned char skc_state;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct net_device *dev;
	struct sock *sk;
	__u32 mark;
} __attribute__((preserve_access_index));

IPFT_MODULE(ctx, skb, data)
{
	struct sock_event *ev = (struct sock_event *)data;
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	struct sock *sk = BPF_CORE_READ(skb, sk);

	if (dev)
		BPF_CORE_READ_STR_INTO(&ev->dev, dev, name);
	ev->mark = BPF_CORE_READ(skb, mark);
	if (sk) {
		ev->state = BPF_CORE_READ(sk, __sk_common.skc_state);
		ev->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	}
	return 0;
}
