using BpfSharp.Object.Tests.Elf;

namespace BpfSharp.Object.Tests.Objects;

/// <summary>Small C programs, each about one feature of the object format.</summary>
internal static class ObjectSamples
{
    const string Prelude = """
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>
        char LICENSE[] SEC("license") = "GPL";

        """;

    public static readonly Dictionary<string, string> All = new()
    {
        ["everything"] = ElfSamples.Everything,

        ["subprograms"] = Prelude + """
            static __noinline int leaf(int x) { return x * 3; }
            static __noinline int subB(int x) { return leaf(x) + 1; }
            __noinline int subA(int x) { return subB(x) + 2; }
            static __noinline int subC(int x) { return subB(x) - leaf(x); }
            __attribute__((visibility("hidden"))) __noinline int hidden(int x) { return x ^ 5; }
            SEC("socket") int mainA(void *ctx) { return subA(1) + hidden(2); }
            SEC("socket") int mainB(void *ctx) { return subC(2); }
            SEC("tc") int mainC(void *ctx) { return subC(3) + subA(4) + leaf(5); }
            """,

        ["callbacks"] = Prelude + """
            struct elem { struct bpf_timer t; int v; };
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, int); __type(value, struct elem); } timers SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, int); __type(value, long); } counts SEC(".maps");
            static int timer_cb(void *map, int *key, struct elem *e) { e->v++; return 0; }
            static long each(struct bpf_map *map, int *key, long *value, void *ctx) { *(long *)ctx += *value; return 0; }
            static long loop_body(__u32 i, void *ctx) { *(long *)ctx += i; return 0; }
            SEC("tc") int use_callbacks(void *ctx)
            {
                long sum = 0;
                int k = 0;
                struct elem *e = bpf_map_lookup_elem(&timers, &k);
                if (e) { bpf_timer_init(&e->t, &timers, 1); bpf_timer_set_callback(&e->t, timer_cb); }
                bpf_for_each_map_elem(&counts, each, &sum, 0);
                bpf_loop(10, loop_body, &sum, 0);
                return sum;
            }
            """,

        ["maps"] = Prelude + """
            struct pair { int a; long long b; };
            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, struct pair); __type(value, struct pair); __uint(map_flags, BPF_F_NO_PREALLOC); } by_pair SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __uint(key_size, 4); __uint(value_size, 12); } sized SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 100); __type(value, int); __uint(map_extra, 3); } bloom SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } events SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, 4); __uint(value_size, 4); } perf SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 16); __type(key, int); __type(value, int); __uint(pinning, LIBBPF_PIN_BY_NAME); __uint(numa_node, 0); } pinned SEC(".maps");
            struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, int); __type(value, int); };
            struct inner inner1 SEC(".maps"), inner2 SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 3); __type(key, int); __array(values, struct inner); } outer SEC(".maps") = { .values = { &inner1, [2] = &inner2 } };
            struct { __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS); __uint(max_entries, 3); __type(key, int); __array(values, struct inner); } outer_hash SEC(".maps");
            SEC("xdp") int touch(struct xdp_md *ctx)
            {
                struct pair p = {};
                int k = 0;
                bpf_map_lookup_elem(&by_pair, &p); bpf_map_lookup_elem(&sized, &k); bpf_map_peek_elem(&bloom, &k);
                bpf_ringbuf_output(&events, &k, 4, 0); bpf_map_lookup_elem(&pinned, &k);
                bpf_map_lookup_elem(&outer, &k); bpf_map_lookup_elem(&outer_hash, &k);
                return XDP_PASS;
            }
            """,

        ["globals"] = Prelude + """
            int counter = 1;
            static int hidden_counter = 2;
            __attribute__((visibility("hidden"))) int not_exported = 3;
            const volatile int limit = 10;
            const volatile char name[8] = "abc";
            long zeroed;
            static long zeroed_static;
            int custom_data SEC(".data.custom") = 7;
            const volatile int custom_ro SEC(".rodata.custom") = 8;
            SEC("socket") int use(void *ctx)
            {
                zeroed++; zeroed_static++; hidden_counter++; not_exported++;
                return counter + limit + name[1] + custom_data + custom_ro + hidden_counter + not_exported + zeroed_static;
            }
            """,

        ["externs"] = Prelude + """
            #include <stdbool.h>
            extern int LINUX_KERNEL_VERSION __kconfig;
            extern bool CONFIG_BPF_SYSCALL __kconfig;
            extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
            extern char CONFIG_LOCALVERSION[8] __kconfig __weak;
            extern unsigned long long CONFIG_HZ __kconfig __weak;
            extern const int bpf_prog_active __ksym;
            extern void bpf_rcu_read_lock(void) __ksym;
            extern void bpf_rcu_read_unlock(void) __ksym;
            SEC("tp_btf/sched_switch") int use(void *ctx)
            {
                bpf_rcu_read_lock();
                int r = LINUX_KERNEL_VERSION + CONFIG_BPF_SYSCALL + CONFIG_BPF_JIT + CONFIG_LOCALVERSION[0] + CONFIG_HZ;
                r += *(int *)bpf_this_cpu_ptr(&bpf_prog_active);
                bpf_rcu_read_unlock();
                return r;
            }
            """,

        ["sections"] = Prelude + """
            SEC("socket") int p_socket(void *c) { return 0; }
            SEC("kprobe/do_unlinkat") int p_kprobe(void *c) { return 0; }
            SEC("kretprobe/do_unlinkat") int p_kretprobe(void *c) { return 0; }
            SEC("uprobe/bin:func") int p_uprobe(void *c) { return 0; }
            SEC("uretprobe.s/bin:func") int p_uretprobe_s(void *c) { return 0; }
            SEC("usdt") int p_usdt(void *c) { return 0; }
            SEC("ksyscall/openat") int p_ksyscall(void *c) { return 0; }
            SEC("kprobe.multi/do_*") int p_kprobe_multi(void *c) { return 0; }
            SEC("uprobe.multi/bin:f*") int p_uprobe_multi(void *c) { return 0; }
            SEC("tracepoint/syscalls/sys_enter_openat") int p_tracepoint(void *c) { return 0; }
            SEC("tp/sched/sched_switch") int p_tp(void *c) { return 0; }
            SEC("raw_tp/sched_switch") int p_raw_tp(void *c) { return 0; }
            SEC("raw_tracepoint.w/sched_switch") int p_raw_tp_w(void *c) { return 0; }
            SEC("tp_btf/sched_switch") int p_tp_btf(void *c) { return 0; }
            SEC("fentry/do_unlinkat") int p_fentry(void *c) { return 0; }
            SEC("fexit.s/do_unlinkat") int p_fexit_s(void *c) { return 0; }
            SEC("fmod_ret/do_unlinkat") int p_fmod_ret(void *c) { return 0; }
            SEC("lsm/file_open") int p_lsm(void *c) { return 0; }
            SEC("lsm.s/file_open") int p_lsm_s(void *c) { return 0; }
            SEC("iter/task") int p_iter(void *c) { return 0; }
            SEC("syscall") int p_syscall(void *c) { return 0; }
            SEC("xdp") int p_xdp(void *c) { return 0; }
            SEC("xdp.frags") int p_xdp_frags(void *c) { return 0; }
            SEC("xdp/devmap") int p_xdp_devmap(void *c) { return 0; }
            SEC("xdp.frags/cpumap") int p_xdp_frags_cpumap(void *c) { return 0; }
            SEC("perf_event") int p_perf_event(void *c) { return 0; }
            SEC("lwt_xmit") int p_lwt_xmit(void *c) { return 0; }
            SEC("cgroup_skb/ingress") int p_cgroup_skb_ingress(void *c) { return 1; }
            SEC("cgroup/skb") int p_cgroup_skb(void *c) { return 1; }
            SEC("cgroup/sock_create") int p_sock_create(void *c) { return 1; }
            SEC("cgroup/post_bind4") int p_post_bind4(void *c) { return 1; }
            SEC("cgroup/connect6") int p_connect6(void *c) { return 1; }
            SEC("cgroup/recvmsg4") int p_recvmsg4(void *c) { return 1; }
            SEC("cgroup/getsockname6") int p_getsockname6(void *c) { return 1; }
            SEC("cgroup/sysctl") int p_sysctl(void *c) { return 1; }
            SEC("cgroup/getsockopt") int p_getsockopt(void *c) { return 1; }
            SEC("cgroup/dev") int p_dev(void *c) { return 1; }
            SEC("sockops") int p_sockops(void *c) { return 1; }
            SEC("sk_skb/stream_parser") int p_stream_parser(void *c) { return 0; }
            SEC("sk_skb/stream_verdict") int p_stream_verdict(void *c) { return 0; }
            SEC("sk_skb") int p_sk_skb(void *c) { return 0; }
            SEC("sk_msg") int p_sk_msg(void *c) { return 0; }
            SEC("sk_reuseport") int p_sk_reuseport(void *c) { return 0; }
            SEC("lirc_mode2") int p_lirc(void *c) { return 0; }
            SEC("flow_dissector") int p_flow_dissector(void *c) { return 0; }
            SEC("sk_lookup") int p_sk_lookup(void *c) { return 0; }
            SEC("classifier") int p_classifier(void *c) { return 0; }
            SEC("action") int p_action(void *c) { return 0; }
            SEC("?tc") int p_not_autoloaded(void *c) { return 0; }
            SEC("freplace/other") int p_freplace(void *c) { return 0; }
            SEC("struct_ops/test_1") int p_struct_ops(void *c) { return 0; }
            """,

        ["struct_ops"] = Prelude + """
            struct bpf_dummy_ops_state { int val; };
            struct bpf_dummy_ops {
                int (*test_1)(struct bpf_dummy_ops_state *cb);
                int (*test_2)(struct bpf_dummy_ops_state *cb, int a1, unsigned short a2, char a3, unsigned long a4);
                int (*test_sleepable)(struct bpf_dummy_ops_state *cb);
            };
            SEC("struct_ops/test_1") int test_1(unsigned long long *ctx) { return 1; }
            SEC("struct_ops/test_2") int test_2(unsigned long long *ctx) { return 2; }
            SEC(".struct_ops") struct bpf_dummy_ops dummy = { .test_1 = (void *)test_1, .test_2 = (void *)test_2 };
            """,

        ["struct_ops_link"] = Prelude + """
            struct bpf_dummy_ops_state { int val; };
            struct bpf_dummy_ops {
                int (*test_1)(struct bpf_dummy_ops_state *cb);
                int (*test_2)(struct bpf_dummy_ops_state *cb, int a1, unsigned short a2, char a3, unsigned long a4);
                int (*test_sleepable)(struct bpf_dummy_ops_state *cb);
            };
            SEC("struct_ops/test_1") int test_1(unsigned long long *ctx) { return 1; }
            SEC("struct_ops/test_2") int test_2(unsigned long long *ctx) { return 2; }
            SEC("struct_ops.s/test_sleepable") int test_sleepable(unsigned long long *ctx) { return 3; }
            SEC(".struct_ops.link") struct bpf_dummy_ops linked = { .test_2 = (void *)test_2, .test_sleepable = (void *)test_sleepable };
            SEC("?.struct_ops") struct bpf_dummy_ops optional = { .test_1 = (void *)test_1 };
            """,

        ["legacy_maps"] = Prelude + """
            struct bpf_map_def_legacy { unsigned int type, key_size, value_size, max_entries, map_flags; };
            struct bpf_map_def_legacy counts SEC("maps") = { BPF_MAP_TYPE_HASH, 4, 8, 128, BPF_F_NO_PREALLOC };
            struct bpf_map_def_legacy slots SEC("maps") = { BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0 };
            SEC("socket") int use(void *ctx)
            {
                int k = 0;
                long *v = bpf_map_lookup_elem(&counts, &k);
                return (v ? *v : 0) + (bpf_map_lookup_elem(&slots, &k) != 0);
            }
            """,

        ["bss_custom"] = Prelude + """
            int hits SEC(".bss.hits");
            long other_hits SEC(".bss.hits");
            SEC("socket") int use(void *ctx) { hits++; other_hits += 2; return hits; }
            """,

        ["core"] = Prelude + """
            #include <bpf/bpf_core_read.h>
            struct task { int pid; int tgid; struct { long a; long b; } nested; } __attribute__((preserve_access_index));
            struct task___old { int pid; } __attribute__((preserve_access_index));
            static __noinline int nested_size(struct task *t) { return bpf_core_field_size(t->nested.b) + BPF_CORE_READ(t, tgid); }
            SEC("tp/x") int core(struct task *t)
            {
                int r = nested_size(t);
                if (bpf_core_field_exists(t->tgid))
                    r += BPF_CORE_READ(t, pid);
                if (bpf_core_type_exists(struct task___old))
                    r += bpf_core_type_size(struct task___old);
                return r;
            }
            """,
    };

    /// <summary>Samples libbpf 1.1 cannot open (newer conventions) or crashes on in gen-loader mode (struct_ops): checked on their own.</summary>
    public static readonly HashSet<string> NotForLibbpf11 = ["struct_ops", "struct_ops_link", "legacy_maps", "bss_custom"];
}
