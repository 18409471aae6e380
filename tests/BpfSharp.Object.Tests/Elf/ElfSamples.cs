namespace BpfSharp.Object.Tests.Elf;

/// <summary>Small C sources whose objects exercise every kind of section, symbol and relocation clang writes.</summary>
internal static class ElfSamples
{
    /// <summary>Maps, prog array initial values, globals of every kind, kconfig and ksym externs, subprograms and a callback.</summary>
    public const string Everything = """
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>
        struct key { int a; long b; };
        struct { __uint(type, BPF_MAP_TYPE_HASH); __type(key, struct key); __type(value, long); __uint(max_entries, 16); } h SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 4); __type(key, int); __array(values, int (void *)); } jt SEC(".maps");
        int g = 5; static int sg = 7; const volatile int ro = 3; long bss_v;
        extern int CONFIG_HZ __kconfig;
        extern void bpf_rcu_read_lock(void) __ksym;
        extern const int bpf_prog_active __ksym;
        static __noinline int sub2(int x) { return x * g + sg++; }
        __noinline int sub1(int x) { return sub2(x) + sg; }
        static long cb(__u32 i, void *ctx) { bss_v += i; return 0; }
        SEC("xdp") int prog1(struct xdp_md *ctx) { struct key k = {}; long *v = bpf_map_lookup_elem(&h, &k); bpf_loop(4, cb, 0, 0); return sub1(ro) + (v ? *v : 0) + CONFIG_HZ; }
        SEC("xdp") int prog2(struct xdp_md *ctx) { bpf_tail_call(ctx, &jt, 0); bpf_rcu_read_lock(); return sub2(1) + *(int *)bpf_this_cpu_ptr(&bpf_prog_active); }
        SEC("tc") int prog3(void *ctx) { return 0; }
        struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 4); __type(key, int); __array(values, int (void *)); } jt2 SEC(".maps") = { .values = { [1] = (void *)&prog3 } };
        char LICENSE[] SEC("license") = "GPL";
        """;
}
