using BpfSharp.Btf;

namespace BpfSharp.Features;

/// <summary>The BTF the probes need: a tiny hand-built blob, and a few look-ups in the kernel's own BTF.</summary>
static class ProbeBtf
{
    /// <summary>Type id of <c>int</c> in <see cref="IntKeyStructValue"/>.</summary>
    public const uint IntTypeId = 1;

    /// <summary>Type id of <c>struct probe_value { int v; }</c> in <see cref="IntKeyStructValue"/>.</summary>
    public const uint ValueTypeId = 2;

    /// <summary>
    /// Raw BTF with two types: [1] <c>int</c> (signed, 32 bits) and [2] <c>struct probe_value { int v; }</c> (4 bytes).
    /// Local-storage maps demand BTF with a 32-bit int key and a value type; struct_ops maps demand any valid user BTF fd.
    /// </summary>
    public static byte[] IntKeyStructValue { get; } = BuildIntKeyStructValue();

    static readonly Lazy<BtfSpec?> vmlinux = new(LoadVmlinux);

    /// <summary>The kernel's BTF, or null when the kernel exposes none.</summary>
    public static BtfSpec? Vmlinux => vmlinux.Value;

    static BtfSpec? LoadVmlinux()
    {
        try
        {
            return KernelBtf.IsAvailable ? KernelBtf.Vmlinux : null; // one parse per process, shared with the loader
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BtfFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// A struct_ops value type of vmlinux (<c>struct bpf_struct_ops_NAME</c>) that a struct_ops map can be created
    /// with: its id and size; null when the kernel has no BTF or none of the known value types.
    /// </summary>
    public static (uint Id, uint Size)? StructOpsValueType()
    {
        if (Vmlinux is not { } btf) return null;
        foreach (string name in (ReadOnlySpan<string>)["bpf_struct_ops_bpf_dummy_ops", "bpf_struct_ops_tcp_congestion_ops"])
            if (btf.Find(name, BtfKind.Struct) is { } t) return (t.Id, t.Size);
        return null;
    }

    /// <summary>The id of a <c>btf_trace_*</c> typedef (a raw tracepoint as tp_btf programs name it), or null.</summary>
    public static uint? RawTracepointTarget()
    {
        if (Vmlinux is not { } btf) return null;
        foreach (string name in (ReadOnlySpan<string>)["btf_trace_sched_switch", "btf_trace_sys_enter", "btf_trace_task_newtask"])
            if (btf.Find(name, BtfKind.Typedef) is { } t) return t.Id;
        return null;
    }

    static byte[] BuildIntKeyStructValue()
    {
        var btf = new BtfBuilder();
        uint intId = btf.AddInt("int", 4, signed: true);
        btf.AddStruct("probe_value", 4, ("v", intId, 0u));
        return btf.Build();
    }
}
