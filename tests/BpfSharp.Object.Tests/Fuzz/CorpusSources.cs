namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// Small C programs compiled by clang-19 at test time into the fuzz corpus. Between them their BTF has every
/// kind clang emits (INT, PTR, ARRAY, STRUCT, UNION, ENUM, ENUM64, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT,
/// FUNC, FUNC_PROTO, VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG, bitfields) and their .BTF.ext has func_info,
/// line_info and CO-RE relocations. They only need libbpf's headers, not vmlinux.h.
/// </summary>
static class CorpusSources
{
    public static readonly (string Name, string Source)[] All =
    [
        ("maps_globals", """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            struct key { __u32 addr; __u16 port; __u8 proto; __u8 pad; };
            struct value { __u64 packets; __u64 bytes; __u32 flags[4]; };

            struct {
                __uint(type, BPF_MAP_TYPE_HASH);
                __uint(max_entries, 1024);
                __type(key, struct key);
                __type(value, struct value);
            } flows SEC(".maps");

            struct {
                __uint(type, BPF_MAP_TYPE_ARRAY);
                __uint(max_entries, 16);
                __type(key, __u32);
                __type(value, __u64);
            } counters SEC(".maps");

            struct {
                __uint(type, BPF_MAP_TYPE_RINGBUF);
                __uint(max_entries, 4096);
            } events SEC(".maps");

            const volatile __u32 limit = 10;
            __u64 seen = 1;
            __u64 dropped;
            char LICENSE[] SEC("license") = "GPL";

            static __attribute__((noinline)) int bump(__u32 slot)
            {
                __u64 *c = bpf_map_lookup_elem(&counters, &slot);
                if (c) __sync_fetch_and_add(c, 1);
                return slot < limit;
            }

            SEC("xdp")
            int count_xdp(struct xdp_md *ctx)
            {
                struct key k = { .port = (__u16)ctx->ingress_ifindex, .proto = 6 };
                struct value *v = bpf_map_lookup_elem(&flows, &k);
                if (v) v->packets++;
                seen++;
                if (!bump(ctx->rx_queue_index & 15)) dropped++;
                return XDP_PASS;
            }
            """),
        ("all_kinds", """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            #define __tag(x) __attribute__((btf_decl_tag(x)))
            #define __user __attribute__((btf_type_tag("user")))

            typedef unsigned long long u64_t;
            typedef const volatile u64_t cv_u64;
            enum small { SMALL_A = -1, SMALL_B = 7 };
            enum big { BIG_A = 0x100000000ULL, BIG_B = 0xffffffffffffffffULL };
            struct fwd_only;
            union number { int i; float f; double d; unsigned char raw[8]; };
            struct bits { unsigned int a : 3; unsigned int b : 13; int c : 16; unsigned long long d : 40; } __tag("packed_bits");
            struct node { struct node *next; struct fwd_only *opaque; int __user *uptr; union number n; int grid[3][4]; };
            typedef int (*callback_t)(struct node *restrict, enum small, enum big);

            struct node nodes[2] SEC(".data.nodes");
            struct bits bitfields;
            cv_u64 constant = 42;
            callback_t table[1];
            char LICENSE[] SEC("license") = "GPL";

            static __attribute__((noinline)) int walk(struct node *restrict n __tag("arg"), enum small s, enum big b) __tag("func")
            {
                return n->grid[1][2] + (int)s + (int)(b >> 32) + n->n.raw[3];
            }

            SEC("socket")
            int kinds(struct __sk_buff *skb)
            {
                bitfields.b = skb->len;
                return walk(&nodes[skb->len & 1], SMALL_B, BIG_A) + (int)constant + bitfields.a;
            }
            """),
        ("core_tracing", """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_core_read.h>

            struct task_struct { int pid; int tgid; struct task_struct *real_parent; char comm[16]; }
                __attribute__((preserve_access_index));
            struct task_struct___old { long state; } __attribute__((preserve_access_index));
            enum pid_type { PIDTYPE_PID, PIDTYPE_TGID };

            struct {
                __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
                __uint(max_entries, 1);
                __type(key, __u32);
                __type(value, __u64);
            } hits SEC(".maps");
            char LICENSE[] SEC("license") = "GPL";

            SEC("raw_tp/sched_switch")
            int on_switch(void *ctx)
            {
                struct task_struct *t = (void *)bpf_get_current_task();
                int ppid = BPF_CORE_READ(t, real_parent, tgid);
                __u32 zero = 0;
                __u64 *h = bpf_map_lookup_elem(&hits, &zero);
                if (h) *h += ppid;
                if (bpf_core_field_exists(((struct task_struct___old *)t)->state)) return 1;
                if (bpf_core_type_exists(struct task_struct)) return bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
                return bpf_core_field_size(t->comm);
            }
            """),
        ("callbacks_tailcalls", """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            struct {
                __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
                __uint(max_entries, 4);
                __type(key, __u32);
                __type(value, __u32);
            } jumps SEC(".maps");

            struct {
                __uint(type, BPF_MAP_TYPE_HASH);
                __uint(max_entries, 64);
                __type(key, __u32);
                __type(value, __u64);
            } totals SEC(".maps");
            char LICENSE[] SEC("license") = "GPL";

            static long add_one(__u32 index, void *ctx) { *(__u64 *)ctx += index; return 0; }
            static long sum_elem(void *map, __u32 *key, __u64 *val, void *ctx) { *(__u64 *)ctx += *val; return 0; }

            SEC("tc")
            int looping(struct __sk_buff *skb)
            {
                __u64 acc = 0;
                bpf_loop(16, add_one, &acc, 0);
                bpf_for_each_map_elem(&totals, sum_elem, &acc, 0);
                bpf_tail_call(skb, &jumps, 0);
                return (int)acc;
            }
            """),
    ];
}
