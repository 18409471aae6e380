using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.Differential.Calls;

public struct Pair<TFirst, TSecond> where TFirst : unmanaged where TSecond : unmanaged
{
    public TFirst First;
    public TSecond Second;
}

public struct Acc
{
    public long Sum;
    public int Count;
}

/// <summary>Inlined and BPF-to-BPF calls, generic methods and structs, as plain C#.</summary>
public static class Cases
{
    static int Inlined(int a, int b) => a * 3 - b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static long Five(long a, int b, uint c, short d, byte e) => a - b * (long)c + d * e;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Accumulate(ref Acc acc, long v, int times)
    {
        for (int i = 0; i < times && i < 8; i++) acc.Sum += v >> i;
        acc.Count += times;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Chain(int a) => a > 0 ? Leaf(a) + 1 : Leaf(-a) - 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Leaf(int a) => (a ^ 0x5a5a) % 1000;

    public static long Calls(long a, long b, long c)
    {
        var acc = new Acc { Sum = c };
        Accumulate(ref acc, a, (int)(b & 7));
        return Five(a, (int)b, (uint)c, (short)a, (byte)b) + Inlined((int)a, (int)c) + acc.Sum * acc.Count + Chain((int)b);
    }

    static T Pick<T>(bool first, T a, T b) where T : unmanaged => first ? a : b;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int SizeOf<T>(T value, int bias) where T : unmanaged => Unsafe.SizeOf<T>() + bias;

    static TSecond Second<TFirst, TSecond>(Pair<TFirst, TSecond> p) where TFirst : unmanaged where TSecond : unmanaged => p.Second;

    static Pair<T, T> Twice<T>(T v) where T : unmanaged => new Pair<T, T> { First = v, Second = v };

    public static long Generics(long a, long b)
    {
        var p1 = new Pair<int, long> { First = (int)a, Second = b };
        var p2 = new Pair<byte, ushort> { First = (byte)a, Second = (ushort)b };
        Pair<uint, uint> p3 = Twice((uint)(a ^ b));
        return Second(p1) + Second(p2) + p3.First + p3.Second + p2.First + p1.First;
    }

    public static long GenericPick(long a, long b) =>
        Pick(a > b, a, b) - (long)Pick((ulong)a > (ulong)b, (ulong)a, (ulong)b) + Pick(a < 0, (sbyte)a, (sbyte)b)
        + SizeOf((byte)a, (int)b & 1) * 1000 + SizeOf((int)b, 2) * 100 + SizeOf(new Pair<long, short> { First = a, Second = (short)b }, 3) * 10;
}

/// <summary>One syscall program per case.</summary>
[BpfModule]
public static class CallModule
{
    [Syscall(ExceptionReturn = Diff.Throws)] public static int Calls(ref Args x) { x.R = Cases.Calls(x.A, x.B, x.C); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int Generics(ref Args x) { x.R = Cases.Generics(x.A, x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int GenericPick(ref Args x) { x.R = Cases.GenericPick(x.A, x.B); return Diff.Ok; }
}
