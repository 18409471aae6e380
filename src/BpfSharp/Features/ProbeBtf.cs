using System.Buffers.Binary;
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
            return BtfSpec.LoadKernel();
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
        // String section: offset 0 is the empty name, as BTF requires.
        byte[] strings = "\0int\0probe_value\0v\0"u8.ToArray();
        const uint intName = 1, structName = 5, memberName = 17;
        const int headerLength = 24, typesLength = 16 + 24;

        byte[] blob = new byte[headerLength + typesLength + strings.Length];
        Span<byte> s = blob;
        BinaryPrimitives.WriteUInt16LittleEndian(s, 0xEB9F);   // magic
        s[2] = 1;                                               // version
        s[3] = 0;                                               // flags
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], headerLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], 0);                // type section offset
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], typesLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], typesLength);     // string section offset
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)strings.Length);

        Span<byte> t = s[headerLength..];
        // [1] INT 'int': size 4, encoding SIGNED, offset 0, 32 bits.
        BinaryPrimitives.WriteUInt32LittleEndian(t, intName);
        BinaryPrimitives.WriteUInt32LittleEndian(t[4..], (uint)BtfKind.Int << 24);
        BinaryPrimitives.WriteUInt32LittleEndian(t[8..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(t[12..], (1u << 24) | 32);
        // [2] STRUCT 'probe_value' size 4, one member 'v' of type [1] at bit offset 0.
        BinaryPrimitives.WriteUInt32LittleEndian(t[16..], structName);
        BinaryPrimitives.WriteUInt32LittleEndian(t[20..], ((uint)BtfKind.Struct << 24) | 1);
        BinaryPrimitives.WriteUInt32LittleEndian(t[24..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(t[28..], memberName);
        BinaryPrimitives.WriteUInt32LittleEndian(t[32..], IntTypeId);
        BinaryPrimitives.WriteUInt32LittleEndian(t[36..], 0);

        strings.CopyTo(s[(headerLength + typesLength)..]);
        return blob;
    }
}
