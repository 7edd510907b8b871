/* ipft/extension.h - what an ipft extension (ipft -e FILE.bpf.o) is
 * written with.  The interface is ipftrace2's, so its extensions load in
 * ipft unchanged:
 *
 *   struct event {                         (at most 64 bytes)
 *           __u32 len;
 *           __u32 type __ipft_fmt_enum_flags(type_names);
 *   } __ipft_event_struct;
 *
 *   IPFT_MODULE(ctx, skb, data)            (int module(void *ctx,
 *   {                                       struct sk_buff *skb, __u8 data[64]))
 *           struct event *ev = (void *)data;
 *           ev->len = BPF_CORE_READ(skb, len);
 *           return 0;
 *   }
 *
 * ipft links the object into its own BPF programs and calls module() at
 * each event of a traced packet (not at a function's return), with the
 * program's context, the skb (read it with BPF_CORE_READ: the pointer may
 * be untyped) and 64 zeroed bytes.  A non-zero return means no data for
 * that event.  Each member of the struct that is the type of
 * __ipft_event_struct becomes a key/value named after it: integers,
 * enums (by their enumerator's name), pointers (hex) and char arrays
 * (strings); a member's decl tag changes how it is written:
 *
 *   __ipft_fmt_hex                 in hex
 *   __ipft_fmt_enum(ref)           the name of the value, from the enum
 *                                  that is the type of ref
 *   __ipft_fmt_enum_flags(ref)     the names of the bits set, joined by '|'
 *
 * where ref is declared with __ipft_ref(ref), a variable of section
 * __ipft_skip like __ipft_event_struct: neither is ever loaded.
 *
 * Compile with:  clang -target bpf -O2 -g -c FILE.bpf.c -o FILE.bpf.o
 * (-g: ipft reads the struct from the object's BTF).  This header stands
 * alone: it declares the __u8 ... __u64 types itself unless vmlinux.h or
 * <linux/types.h> came first (clang's BPF target does not find the
 * host's <asm/types.h>).
 */
#ifndef IPFT_EXTENSION_H
#define IPFT_EXTENSION_H

#if !defined(__VMLINUX_H__) && !defined(_LINUX_TYPES_H)
typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
#endif

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* The bytes module() may write. */
#define IPFT_DATA_LEN 64

/* ipftrace2's names. */
#define __ipft_sec_skip __attribute__((section("__ipft_skip")))
#define __ipft_ref(name) name __ipft_sec_skip
#define __ipft_event_struct __ipft_event_struct __ipft_sec_skip
#define __ipft_fmt_hex __attribute__((btf_decl_tag("ipft:fmt:hex")))
#define __ipft_fmt_enum(ref) __attribute__((btf_decl_tag("ipft:fmt:enum:" #ref)))
#define __ipft_fmt_enum_flags(ref) __attribute__((btf_decl_tag("ipft:fmt:enum_flags:" #ref)))

struct sk_buff;

/* The entry point, hidden: ipft verifies it as a part of the program that
 * calls it (a global function would be verified on its own, and refused
 * for reading through an untyped skb). */
#define IPFT_MODULE(ctx, skb, data) \
	__hidden int module(void *ctx, struct sk_buff *skb, __u8 data[IPFT_DATA_LEN])

/* The output struct fits what module() may write: a compile-time check. */
#define IPFT_CHECK_EVENT(type) \
	_Static_assert(sizeof(type) <= IPFT_DATA_LEN, #type " is larger than 64 bytes")

#endif
