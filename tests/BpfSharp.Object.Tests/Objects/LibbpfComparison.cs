using BpfSharp.Asm;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Objects;

/// <summary>Asserts that our reading of an object is libbpf 1.1's: programs, linked instructions, maps and fixed-up BTF.</summary>
internal static class LibbpfComparison
{
    /// <summary>SEC conventions libbpf added after 1.1, which 1.1 leaves untyped.</summary>
    public static readonly HashSet<string> NewerThanLibbpf11 =
    [
        "uprobe.multi+", "uretprobe.multi+", "uprobe.multi.s+", "uretprobe.multi.s+", "kprobe.session+", "uprobe.session+", "uprobe.session.s+",
        "tcx/ingress", "tcx/egress", "tc/ingress", "tc/egress", "netkit/primary", "netkit/peer", "tracepoint.s+", "tp.s+", "raw_tracepoint.s+",
        "raw_tp.s+", "tp_btf.s+", "cgroup/connect_unix", "cgroup/sendmsg_unix", "cgroup/recvmsg_unix", "cgroup/getpeername_unix",
        "cgroup/getsockname_unix", "sk_skb/verdict", "usdt.s+", "struct_ops.s+", "netfilter",
    ];

    public static void AssertSame(ObjectSpec spec, Libbpf.View libbpf, bool compareBtf = true)
    {
        Assert.Equal(0, libbpf.OpenError);
        Assert.Equal(libbpf.Programs.Select(p => p.Name), spec.Programs.Select(p => p.Name));
        foreach (var (theirs, ours) in libbpf.Programs.Zip(spec.Programs))
        {
            string where = $"program '{ours.Name}'";
            Assert.True(theirs.Section == ours.SectionName, $"{where}: section '{ours.SectionName}', libbpf '{theirs.Section}'");
            if (theirs.Type == 0 && ours.Convention is { } newer)
            {
                Assert.True(NewerThanLibbpf11.Contains(newer), $"{where}: libbpf 1.1 does not know section '{ours.SectionName}', we read it as {newer}");
            }
            else
            {
                Assert.True(theirs.Type == (uint)ours.Type, $"{where}: type {ours.Type}, libbpf {theirs.Type}");
                Assert.True(theirs.ExpectedAttachType == (uint)(ours.ExpectedAttachType ?? 0), $"{where}: attach type {ours.ExpectedAttachType}, libbpf {theirs.ExpectedAttachType}");
            }
            Assert.True(theirs.Autoload == ours.Autoload, $"{where}: autoload");
            AssertSameInstructions(where, spec, ours, theirs.Instructions);
        }

        Assert.Equal(libbpf.Maps.Count, spec.Maps.Count);
        foreach (var (theirs, ours) in libbpf.Maps.Zip(spec.Maps))
        {
            // libbpf names .data/.rodata/.bss/.kconfig "OBJNAME.data" and custom sections by their first 15 characters.
            Assert.True(theirs.IsInternal ? theirs.Name.EndsWith(ours.Name, StringComparison.Ordinal) || ours.Name.StartsWith(theirs.Name, StringComparison.Ordinal) : theirs.Name == ours.Name,
                $"map '{ours.Name}' is '{theirs.Name}' in libbpf; libbpf's maps: {string.Join(", ", libbpf.Maps.Select(m => m.Name))}");
            AssertSameMap(ours, theirs);
            if (ours.Origin == MapOrigin.Data && ours.Name != ".kconfig")
            {
                byte[] expected = ours.Contents.Length > 0 ? ours.Contents.ToArray() : new byte[ours.ValueSize];
                Assert.Equal(expected, theirs.InitialValue);
            }
        }
        if (compareBtf)
            Assert.True(libbpf.Btf.AsSpan().SequenceEqual(spec.RawBtf.Span), "the fixed-up BTF differs from libbpf's");
    }

    static void AssertSameMap(MapDefinition ours, Libbpf.Map theirs)
    {
        string where = $"map '{ours.Name}'";
        Assert.Equal((where, theirs.Type), (where, (uint)ours.Type));
        Assert.Equal((where, theirs.KeySize, theirs.ValueSize, theirs.MaxEntries), (where, ours.KeySize, ours.ValueSize, ours.MaxEntries));
        Assert.Equal((where, theirs.Flags), (where, (uint)ours.Flags));
        Assert.Equal((where, theirs.NumaNode, theirs.MapExtra), (where, ours.NumaNode ?? 0, ours.MapExtra));
        Assert.Equal((where, theirs.BtfKeyTypeId, theirs.BtfValueTypeId), (where, ours.BtfKeyTypeId, ours.BtfValueTypeId));
        Assert.Equal((where, theirs.Inner is null), (where, ours.InnerMap is null));
        if (theirs.Inner is not null) AssertSameMap(ours.InnerMap!, theirs.Inner);
    }

    /// <summary>
    /// Same instructions, where libbpf's gen-loader mode writes map references as fd-array indices (MAP_IDX,
    /// MAP_IDX_VALUE) and we write references by name: those must name the same map and offset.
    /// </summary>
    static void AssertSameInstructions(string where, ObjectSpec spec, ProgramDefinition program, Instruction[] theirs)
    {
        IReadOnlyList<Instruction> ours = program.Instructions;
        Assert.True(theirs.Length == ours.Count, $"{where}: {ours.Count} instructions, libbpf {theirs.Length}");
        for (int i = 0; i < ours.Count; i++)
        {
            Instruction a = ours[i], b = theirs[i];
            string at = $"{where}, instruction {i}: ours '{a}' ({a.Reference}, src {(byte)a.Src}, 0x{a.Constant:x}), libbpf '{b}' (src {(byte)b.Src}, 0x{b.Constant:x}); our maps: {string.Join(", ", spec.Maps.Select(m => m.Name))}";
            Assert.True(a.OpCode == b.OpCode && a.Dst == b.Dst, at);
            if (a.IsLoadImm64 && a.LoadImm64Source is LoadImm64Source.MapFd or LoadImm64Source.MapValue)
            {
                int index = spec.Maps.ToList().FindIndex(m => m.Name == a.Reference);
                Assert.True(index >= 0, at);
                var expectedSource = a.LoadImm64Source == LoadImm64Source.MapFd ? LoadImm64Source.MapIndex : LoadImm64Source.MapIndexValue;
                Assert.True(b.LoadImm64Source == expectedSource && b.Immediate == index && b.MapValueOffset == a.MapValueOffset, at);
            }
            else if (a.IsLoadImm64 && a.LoadImm64Source == LoadImm64Source.BtfId)
            {
                Assert.True(b.LoadImm64Source is LoadImm64Source.Constant or LoadImm64Source.BtfId, at);
            }
            else if (a.IsKfuncCall)
            {
                Assert.True(b.IsKfuncCall, at);
            }
            else
            {
                Assert.True(a.Src == b.Src && a.Offset == b.Offset && a.Constant == b.Constant, at);
            }
        }
    }
}
