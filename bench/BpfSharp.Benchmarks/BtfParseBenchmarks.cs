using BenchmarkDotNet.Attributes;
using BpfSharp.Btf;

namespace BpfSharp.Benchmarks;

/// <summary>
/// Parsing the running kernel's BTF (/sys/kernel/btf/vmlinux, ~5.5 MB) against libbpf's
/// <c>btf__parse</c> (bench/libbpf/object_bench.c: vmlinux_btf_parse, vmlinux_btf_parse_walk). Each
/// invocation reads the file as <c>btf__parse</c> does, so both sides pay the same sysfs read.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(NoisyVmConfig))]
public class BtfParseBenchmarks
{
    /// <summary>Read + parse (object_bench: vmlinux_btf_parse). A lazy parser may defer work to first use.</summary>
    [Benchmark]
    public int VmlinuxParse() => BtfSpec.Parse(File.ReadAllBytes(BenchPaths.VmlinuxBtf)).Types.Count;

    /// <summary>
    /// Read + parse + a walk of every type: kind, name, and each member, parameter and enumerator
    /// (object_bench: vmlinux_btf_parse_walk). Whatever a lazy parser deferred is paid here.
    /// </summary>
    [Benchmark]
    public long VmlinuxParseWalk() => Walk(BtfSpec.Parse(File.ReadAllBytes(BenchPaths.VmlinuxBtf)));

    /// <summary>Only the read of the file: how much of either parse is sysfs, not parsing. Not compared.</summary>
    [Benchmark]
    public int VmlinuxRead() => File.ReadAllBytes(BenchPaths.VmlinuxBtf).Length;

    /// <summary>Touches what object_bench's walk touches, so neither side can skip work the other does.</summary>
    internal static long Walk(BtfSpec spec)
    {
        long acc = 0;
        int count = spec.Types.Count;
        for (uint id = 1; id < count; id++)
        {
            BtfType t = spec[id];
            acc += (int)t.Kind + FirstChar(t.Name);
            switch (t.Kind)
            {
                case BtfKind.Struct or BtfKind.Union:
                    foreach (BtfMember m in t.Members) acc += m.TypeId + m.BitOffset + FirstChar(m.Name);
                    break;
                case BtfKind.Enum or BtfKind.Enum64:
                    foreach (BtfEnumValue e in t.EnumValues) acc += (uint)e.Value + FirstChar(e.Name);
                    break;
                case BtfKind.FuncProto:
                    foreach (BtfParameter p in t.Parameters) acc += p.TypeId + FirstChar(p.Name);
                    break;
                case BtfKind.Array:
                    acc += t.ElementCount;
                    break;
                default:
                    acc += t.Size;
                    break;
            }
        }
        return acc;
    }

    static int FirstChar(string s) => s.Length > 0 ? s[0] : 0;
}
