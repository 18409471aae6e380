using BpfSharp.Abi;

namespace BpfSharp.Interop.Tests.Fixtures;

/// <summary>
/// Every fixture in <c>Fixtures/</c> with what it covers and what loading it gives here. A test checks that this table and
/// the files agree, so adding a <c>.bpf.c</c> means adding a row.
/// </summary>
public static class FixtureCatalog
{
    static readonly Libbpf11Limit UnknownSection = new("section name newer than libbpf 1.1 (no program type)", "missing BPF prog type, check ELF section name");

    public static IReadOnlyList<Fixture> All { get; } =
    [
        // Maps
        new("maps_btf", "BTF maps with struct keys/values: hash (spin lock in value, NO_PREALLOC), array, percpu hash/array, lru, lru percpu (NO_COMMON_LRU), key_size/value_size without BTF types"),
        new("maps_lpm", "LPM trie with a struct key, looked up from tc"),
        new("maps_special", "queue, stack, bloom filter (map_extra), ringbuf, user ringbuf, perf event array, stack trace, task and sk storage, devmap, cpumap, xskmap, mmapable read-only-prog array"),
        new("maps_legacy", "legacy SEC(\"maps\") struct bpf_map_def maps")
        {
            Libbpf11CannotLoad = new("libbpf 1.0 dropped legacy SEC(\"maps\") definitions", "legacy map definitions in 'maps' section are not supported"),
            BpftoolCannotLoad = "libbpf 1.0+ refuses legacy maps",
        },
        new("map_in_map", "array of maps and hash of maps with inner map templates (__array values) and initial values"),
        new("pinning", "LIBBPF_PIN_BY_NAME map next to an unpinned one")
        {
            BpftoolCannotLoad = "bpftool cannot set a pin root: the map pins at /sys/fs/bpf/NAME and `pinmaps` then fails",
        },
        new("ringbuf", "ringbuf reserve/submit, output, and dynptr helpers (reserve_dynptr, dynptr_write/data, submit/discard_dynptr)"),

        // Global data
        new("globals", ".data, .bss, .rodata (struct, zero-initialised), .data.custom, .rodata.custom"),
        new("globals_bss_custom", "a private .bss.NAME section")
        {
            BpftoolCannotLoad = "bpftool 7.1's built-in libbpf skips .bss.NAME sections ('bad map relo'); the system libbpf 1.1.2 loads it",
        },
        new("kconfig", ".kconfig externs: LINUX_KERNEL_VERSION, bool/tristate/int/char[] CONFIG_*, a __weak missing option, LINUX_HAS_BPF_COOKIE"),
        new("ksym_var", "typed per-CPU ksym variables (runqueues, bpf_prog_active) via bpf_per_cpu_ptr/bpf_this_cpu_ptr")
        {
            // libbpf finds the BTF VAR; the kernel then looks the address up in kallsyms, which lists no data symbols here.
            KernelRefuses = Errno.ENOENT,
        },

        // Code
        new("subprogs", "static and global (__arg_ctx) subprograms, a __hidden global, one subprogram shared by two programs"),
        new("cb_loop", "bpf_loop callback with a context struct"),
        new("cb_foreach", "bpf_for_each_map_elem over hash and array with two callbacks"),
        new("cb_timer", "bpf_timer in a map value: init, set_callback, start"),
        new("iter_num", "open-coded numeric iterator kfuncs (bpf_iter_num_new/next/destroy)"),
        new("core_task", "CO-RE reads of task_struct (pid, tgid, real_parent->tgid, comm), ___flavour struct, field/type/enum-value exists, enum value, type/field size, bitfield"),
        new("kfunc_task", "kfuncs: bpf_task_acquire/release, bpf_rcu_read_lock/unlock, bpf_task_from_pid in tp_btf"),
        new("tail_calls", "prog array with initial values (__array of programs), tail calls, several programs in one section"),
        new("struct_ops", "struct_ops tcp_congestion_ops map with four struct_ops programs"),
        new("arena", "BPF arena map and bpf_arena_alloc/free_pages kfuncs through an address_space(1) pointer")
        {
            Libbpf11CannotLoad = new("libbpf 1.1 does not mmap the arena before loading programs", "arena's user address must be set via map_extra or mmap()"),
            BpftoolCannotLoad = "libbpf 1.1 cannot load arenas",
        },
        new("medium", "benchmark object: 10 BTF maps (+ .data/.bss/.rodata), 7 programs of 5 types, subprograms, a tail call, bpf_loop"),

        // Program types
        new("prog_socket", "socket filter (Dual BSD/GPL license)"),
        new("prog_xdp", "xdp with packet bounds checks, and xdp.frags"),
        new("prog_tc", "tc and classifier sections, and a \"?tc\" program with autoload off")
        {
            BpftoolCannotLoad = "bpftool prog loadall fails pinning the program whose autoload is off",
        },
        new("prog_tcx", "tcx/ingress and tcx/egress")
        {
            Libbpf11CannotLoad = UnknownSection,
            BpftoolCannotLoad = "unknown section",
        },
        new("prog_tracepoint", "tracepoint/ and tp/ with typed contexts, bpf_printk formats (static-only .rodata), a string literal (.rodata.str1.1)"),
        new("prog_raw_tp", "raw_tp with BPF_PROG, raw_tracepoint/"),
        new("prog_tp_btf", "tp_btf with typed task_struct arguments"),
        new("prog_kprobe", "kprobe/kretprobe (load only: attaching fails in this sandbox)"),
        new("prog_uprobe", "uprobe/uretprobe without target"),
        new("prog_uprobe_multi", "uprobe.multi")
        {
            Libbpf11CannotLoad = UnknownSection,
            BpftoolCannotLoad = "unknown section",
        },
        new("prog_perf_event", "perf_event reading bpf_perf_event_data, stack ids"),
        new("prog_cgroup_skb", "cgroup_skb/ingress and egress"),
        new("prog_cgroup_sock", "cgroup/sock_create and cgroup/sock_release"),
        new("prog_cgroup_connect4", "cgroup/connect4 (rewrites the port) and cgroup/sendmsg4"),
        new("prog_cgroup_misc", "cgroup/sysctl, cgroup/getsockopt, cgroup/dev, cgroup/bind4"),
        new("prog_sockops", "sockops updating a sockhash with a struct key"),
        new("prog_sk_lookup", "sk_lookup with bpf_sk_assign from a sockmap"),
        new("prog_sk_msg", "sk_msg redirecting through a sockhash"),
        new("prog_sk_skb", "sk_skb/stream_parser, sk_skb/stream_verdict, sk_skb"),
        new("prog_flow_dissector", "flow_dissector filling bpf_flow_keys"),
        new("prog_netfilter", "netfilter hook program")
        {
            Libbpf11CannotLoad = UnknownSection,
            BpftoolCannotLoad = "unknown section",
        },
        new("prog_syscall", "syscall program calling bpf_sys_bpf"),
        new("iter_task", "iter/task and iter/bpf_map with BPF_SEQ_PRINTF"),
        new("prog_lwt", "lwt_in, lwt_out, lwt_xmit"),
        new("prog_fentry", "fentry and fexit on do_unlinkat")
        {
            KernelRefuses = Errno.EPERM,
        },
        new("prog_lsm", "lsm/file_open")
        {
            KernelRefuses = Errno.EPERM,
        },
    ];

    /// <summary>The fixture named <paramref name="name"/>.</summary>
    public static Fixture Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"no fixture '{name}' in the catalog", nameof(name));

}

