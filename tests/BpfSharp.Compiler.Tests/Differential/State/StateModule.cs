using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.Differential.State;

/// <summary>Constants, read-only and mutable statics and Interlocked on statics and map values.</summary>
[BpfModule]
public static class StateModule
{
    const long Scale = 1_000_003;
    public static readonly long Offset = -77;
    public static readonly uint Mask = 0xF0F0_F0F0;
    public static long Total;
    public static int Counter = 5;
    public static ulong Bits = 0xFF00;
    public static long Swapped;
    [Map(MaxEntries = 1)] public static ArrayMap<long> Cell = null!;

    [Syscall(ExceptionReturn = Diff.Throws)]
    public static int Constants(ref Args x) { x.R = x.A * Scale + Offset + (x.B & Mask); return Diff.Ok; }

    [Syscall(ExceptionReturn = Diff.Throws)]
    public static int Statics(ref Args x)
    {
        Total += x.A >> 3;
        Counter = Counter * 3 + (int)x.B;
        x.R = Total ^ Counter;
        return Diff.Ok;
    }

    [Syscall(ExceptionReturn = Diff.Throws)]
    public static int Atomics(ref Args x)
    {
        long added = Interlocked.Add(ref Total, x.A);
        int inc = Interlocked.Increment(ref Counter);
        int dec = Interlocked.Decrement(ref Counter);
        long old = Interlocked.Exchange(ref Swapped, x.B);
        long cmp = Interlocked.CompareExchange(ref Swapped, x.C, x.A & 1) ;
        ulong and = Interlocked.And(ref Bits, (ulong)x.B | 0xF);
        ulong or = Interlocked.Or(ref Bits, (ulong)x.C & 0xFF00);
        x.R = added * 31 + inc * 7 - dec + old * 3 + cmp + (long)and - (long)or;
        return Diff.Ok;
    }

    [Syscall(ExceptionReturn = Diff.Throws)]
    public static int MapAtomics(ref Args x)
    {
        ref long v = ref Cell.Lookup(0);
        if (Unsafe.IsNullRef(ref v)) return 2;
        long a = Interlocked.Add(ref v, x.A);
        long b = Interlocked.Exchange(ref v, a ^ x.B);
        long c = Interlocked.CompareExchange(ref v, x.C, b);
        long d = Interlocked.Or(ref v, x.A & 0xFF) + Interlocked.And(ref v, ~0x10L) + Interlocked.Increment(ref v) - Interlocked.Decrement(ref v);
        x.R = a + b * 3 + c * 5 + d;
        return Diff.Ok;
    }
}

/// <summary>The map program's C# with the map value as a plain local: what the kernel must compute.</summary>
public static class MapModel
{
    public static long Value;

    public static (long, int) Run(Args x)
    {
        long a = Interlocked.Add(ref Value, x.A);
        long b = Interlocked.Exchange(ref Value, a ^ x.B);
        long c = Interlocked.CompareExchange(ref Value, x.C, b);
        long d = Interlocked.Or(ref Value, x.A & 0xFF) + Interlocked.And(ref Value, ~0x10L) + Interlocked.Increment(ref Value) - Interlocked.Decrement(ref Value);
        return (a + b * 3 + c * 5 + d, Diff.Ok);
    }
}
