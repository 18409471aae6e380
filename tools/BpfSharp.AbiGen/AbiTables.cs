namespace BpfSharp.AbiGen;

/// <summary>What to generate: the kernel names we take and the C# names they get.</summary>
static class AbiTables
{
    /// <summary>A kernel enum: by name, or (for the UAPI's anonymous enums) by one of its enumerators.</summary>
    public sealed record EnumSpec(string CSharpName, string? KernelName, string? Containing, string Prefix, string UnderlyingType, bool Flags, string Summary);

    public static readonly EnumSpec[] Enums =
    [
        new("BpfCommand", "bpf_cmd", null, "BPF_", "int", false, "bpf(2) commands (<c>enum bpf_cmd</c>)."),
        new("BpfMapType", "bpf_map_type", null, "BPF_MAP_TYPE_", "uint", false, "Map types (<c>enum bpf_map_type</c>)."),
        new("BpfProgramType", "bpf_prog_type", null, "BPF_PROG_TYPE_", "uint", false, "Program types (<c>enum bpf_prog_type</c>)."),
        new("BpfAttachType", "bpf_attach_type", null, "BPF_", "uint", false, "Attach types (<c>enum bpf_attach_type</c>)."),
        new("BpfLinkType", "bpf_link_type", null, "BPF_LINK_TYPE_", "uint", false, "Link types (<c>enum bpf_link_type</c>)."),
        new("BpfHelperId", "bpf_func_id", null, "BPF_FUNC_", "int", false, "Helper function ids (<c>enum bpf_func_id</c>)."),
        new("BpfStatsType", "bpf_stats_type", null, "BPF_STATS_", "uint", false, "Statistics that BPF_ENABLE_STATS turns on."),
        new("BpfTaskFdType", "bpf_task_fd_type", null, "BPF_FD_TYPE_", "uint", false, "What BPF_TASK_FD_QUERY found behind an fd."),
        new("BpfCoreRelocationKind", "bpf_core_relo_kind", null, "BPF_CORE_", "uint", false, "CO-RE relocation kinds."),
        new("MapUpdateFlags", null, "BPF_ANY", "BPF_", "ulong", true, "Flags of map element updates and lookups (BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK)."),
        new("MapCreateFlags", null, "BPF_F_NO_PREALLOC", "BPF_F_", "uint", true, "Flags of BPF_MAP_CREATE (<c>map_flags</c>)."),
        new("RingBufferFlags", null, "BPF_RB_NO_WAKEUP", "BPF_RB_", "ulong", true, "Flags of ring buffer output, submit and discard."),
        new("RingBufferHeaderBits", null, "BPF_RINGBUF_BUSY_BIT", "BPF_RINGBUF_", "uint", false,
            "The length word of a ring buffer record: busy and discard bits, and the header size."),
        new("UprobeMultiFlags", null, "BPF_F_UPROBE_MULTI_RETURN", "BPF_F_UPROBE_MULTI_", "uint", true, "Flags of an uprobe_multi link."),
        new("KprobeMultiFlags", null, "BPF_F_KPROBE_MULTI_RETURN", "BPF_F_KPROBE_MULTI_", "uint", true, "Flags of a kprobe_multi link."),
        new("PerfType", "perf_type_id", null, "PERF_TYPE_", "uint", false, "perf_event_open event types (<c>enum perf_type_id</c>)."),
        new("PerfSoftwareEvent", "perf_sw_ids", null, "PERF_COUNT_SW_", "ulong", false, "Software perf events (<c>enum perf_sw_ids</c>)."),
        new("PerfSampleFormat", "perf_event_sample_format", null, "PERF_SAMPLE_", "ulong", true, "What a perf sample carries (<c>enum perf_event_sample_format</c>)."),
        new("PerfRecordType", "perf_event_type", null, "PERF_RECORD_", "uint", false, "Record types in a perf ring (<c>enum perf_event_type</c>)."),
        new("BpfPerfEventType", "bpf_perf_event_type", null, "BPF_PERF_EVENT_", "uint", false, "What a perf-event link is attached to (<c>enum bpf_perf_event_type</c>)."),
        new("CgroupIterOrder", "bpf_cgroup_iter_order", null, "BPF_CGROUP_ITER_", "uint", false, "The walk order of a cgroup iterator (<c>enum bpf_cgroup_iter_order</c>)."),
    ];

    /// <summary>Groups of <c>#define</c>d constants from UAPI headers, generated as enums.</summary>
    public sealed record DefineGroup(string CSharpName, string Header, string Prefix, string UnderlyingType, bool Flags, string Summary, string[] Names);

    public static readonly DefineGroup[] Defines =
    [
        new("ProgramLoadFlags", "linux/bpf.h", "BPF_F_", "uint", true, "Flags of BPF_PROG_LOAD (<c>prog_flags</c>).",
            ["BPF_F_STRICT_ALIGNMENT", "BPF_F_ANY_ALIGNMENT", "BPF_F_TEST_RND_HI32", "BPF_F_TEST_STATE_FREQ", "BPF_F_SLEEPABLE",
             "BPF_F_XDP_HAS_FRAGS", "BPF_F_XDP_DEV_BOUND_ONLY", "BPF_F_TEST_REG_INVARIANTS"]),
        new("ProgramAttachFlags", "linux/bpf.h", "BPF_F_", "uint", true, "Flags of BPF_PROG_ATTACH and BPF_LINK_CREATE.",
            ["BPF_F_ALLOW_OVERRIDE", "BPF_F_ALLOW_MULTI", "BPF_F_REPLACE", "BPF_F_BEFORE", "BPF_F_AFTER", "BPF_F_ID", "BPF_F_LINK"]),
        new("TestRunFlags", "linux/bpf.h", "BPF_F_TEST_", "uint", true, "Flags of BPF_PROG_TEST_RUN.",
            ["BPF_F_TEST_RUN_ON_CPU", "BPF_F_TEST_XDP_LIVE_FRAMES", "BPF_F_TEST_SKB_CHECKSUM_COMPLETE"]),
        new("ProgramQueryFlags", "linux/bpf.h", "BPF_F_QUERY_", "uint", true, "Flags of BPF_PROG_QUERY.", ["BPF_F_QUERY_EFFECTIVE"]),
        new("PseudoSource", "linux/bpf.h", "BPF_PSEUDO_", "byte", false,
            "Values of the src register of ld_imm64 (map fd, map value, BTF id, func, map index) — the pseudo sources.",
            ["BPF_PSEUDO_MAP_FD", "BPF_PSEUDO_MAP_VALUE", "BPF_PSEUDO_BTF_ID", "BPF_PSEUDO_FUNC", "BPF_PSEUDO_MAP_IDX", "BPF_PSEUDO_MAP_IDX_VALUE"]),
        new("PseudoCall", "linux/bpf.h", "BPF_PSEUDO_", "byte", false, "Values of the src register of a call: helper (0), BPF-to-BPF call, kfunc call.",
            ["BPF_PSEUDO_CALL", "BPF_PSEUDO_KFUNC_CALL"]),
        new("XdpAttachFlags", "linux/if_link.h", "XDP_FLAGS_", "uint", true, "Flags of an XDP attachment (modes and replace).",
            ["XDP_FLAGS_UPDATE_IF_NOEXIST", "XDP_FLAGS_SKB_MODE", "XDP_FLAGS_DRV_MODE", "XDP_FLAGS_HW_MODE", "XDP_FLAGS_REPLACE"]),
    ];

    /// <summary>
    /// <c>#define</c>s newer than the distribution's UAPI headers (Linux 6.1 on Debian 12), with their values from the
    /// kernel's <c>include/uapi/linux/bpf.h</c>. Used only when the headers lack the name; when they have it, the
    /// generator checks the value agrees.
    /// </summary>
    public static readonly Dictionary<string, long> NewerDefines = new()
    {
        ["BPF_F_BEFORE"] = 1 << 3,          // since 6.6 (tcx, mprog ordering)
        ["BPF_F_AFTER"] = 1 << 4,
        ["BPF_F_ID"] = 1 << 5,
        ["BPF_F_LINK"] = 1 << 13,           // same bit as the map flag BPF_F_LINK
        ["BPF_F_XDP_DEV_BOUND_ONLY"] = 1 << 6,
        ["BPF_F_TEST_REG_INVARIANTS"] = 1 << 7,
        ["BPF_F_TEST_SKB_CHECKSUM_COMPLETE"] = 1 << 2,
    };

    /// <summary>Scalar <c>#define</c>s generated as constants of <c>BpfConstants</c>.</summary>
    public static readonly (string Header, string Name)[] Constants =
    [
        ("linux/bpf.h", "BPF_OBJ_NAME_LEN"),
        ("linux/bpf.h", "BPF_TAG_SIZE"),
        ("linux/bpf.h", "BPF_BUILD_ID_SIZE"),
    ];

    /// <summary>Kernel structs generated with their exact layout.</summary>
    public static readonly (string KernelName, string CSharpName)[] Structs =
    [
        ("bpf_map_info", "BpfMapInfo"),
        ("bpf_prog_info", "BpfProgramInfo"),
        ("bpf_btf_info", "BpfBtfInfo"),
        ("bpf_link_info", "BpfLinkInfo"),
        ("bpf_func_info", "BpfFuncInfo"),
        ("bpf_line_info", "BpfLineInfo"),
        ("bpf_core_relo", "BpfCoreRelocation"),
        ("btf_header", "BtfHeader"),
        ("bpf_cgroup_storage_key", "BpfCgroupStorageKey"),
        ("perf_event_attr", "PerfEventAttr"),
        ("perf_event_mmap_page", "PerfEventMmapPage"),
        ("perf_event_header", "PerfEventHeader"),
        ("bpf_iter_link_info", "BpfIterLinkInfo"),
    ];

    /// <summary>
    /// Names of the members of <c>union bpf_attr</c>. Named members map by name; the anonymous ones by
    /// the first field they contain.
    /// </summary>
    public static readonly Dictionary<string, string> AttrNames = new()
    {
        ["map_type"] = "MapCreateAttr",
        ["map_fd"] = "MapElemAttr",
        ["batch"] = "MapBatchAttr",
        ["prog_type"] = "ProgLoadAttr",
        ["pathname"] = "ObjPinAttr",
        ["target_fd"] = "ProgAttachAttr",
        ["test"] = "TestRunAttr",
        ["start_id"] = "GetIdAttr",
        ["info"] = "ObjGetInfoAttr",
        ["query"] = "ProgQueryAttr",
        ["raw_tracepoint"] = "RawTracepointOpenAttr",
        ["btf"] = "BtfLoadAttr",
        ["task_fd_query"] = "TaskFdQueryAttr",
        ["link_create"] = "LinkCreateAttr",
        ["link_update"] = "LinkUpdateAttr",
        ["link_detach"] = "LinkDetachAttr",
        ["enable_stats"] = "EnableStatsAttr",
        ["iter_create"] = "IterCreateAttr",
        ["prog_bind_map"] = "ProgBindMapAttr",
        ["token_create"] = "TokenCreateAttr",
        ["prog_stream_read"] = "ProgStreamReadAttr",
    };

    /// <summary>Words that PascalCase would split badly.</summary>
    public static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["percpu"] = "PerCpu", ["cgroup"] = "Cgroup", ["sockmap"] = "SockMap", ["sockhash"] = "SockHash",
        ["devmap"] = "DevMap", ["cpumap"] = "CpuMap", ["xskmap"] = "XskMap", ["ringbuf"] = "RingBuf",
        ["noexist"] = "NoExist", ["kfunc"] = "Kfunc", ["btf"] = "Btf", ["xdp"] = "Xdp", ["tcx"] = "Tcx",
    };
}
