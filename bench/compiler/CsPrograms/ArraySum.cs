using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Bench.Compiler;

/// <summary>64 samples (<c>__u32 values[64]</c>).</summary>
[InlineArray(ArraySum.SampleCount)]
public struct SampleValues
{
    uint first;
}

/// <summary>An array-map value: samples and their total (<c>struct samples</c>).</summary>
public struct Samples
{
    public SampleValues Values;
    public ulong Total;
}

/// <summary>3. A bounded loop over a map value: sum 64 samples of an array-map slot into its total (c/array_sum.bpf.c).</summary>
[BpfModule]
public static class ArraySum
{
    public const int SampleCount = 64;

    [Map(MaxEntries = 1)] public static ArrayMap<Samples> SampleSets = null!;

    [Xdp]
    public static unsafe XdpAction SumSamples(XdpMd* ctx)
    {
        ref Samples s = ref SampleSets.Lookup(0);
        if (Unsafe.IsNullRef(ref s)) return XdpAction.Aborted;

        ulong total = 0;
        for (int i = 0; i < SampleCount; i++)
            total += s.Values[i];
        s.Total = total;
        return XdpAction.Pass;
    }
}
