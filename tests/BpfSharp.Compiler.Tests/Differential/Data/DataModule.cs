using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.Differential.Data;

public struct Point
{
    public int X;
    public int Y;
}

public struct Segment
{
    public Point From;
    public Point To;
    public byte Tag;
    public ulong Weight;
}

public unsafe struct WithFixed
{
    public fixed byte Bytes[16];
    public fixed long Longs[4];
    public ushort Count;
}

[InlineArray(8)]
public struct EightInts
{
    int _element;
}

public struct Holder
{
    public EightInts Values;
    public Segment Segment;
}

/// <summary>Locals, structs, ref/in/out, fixed buffers, InlineArray and pointers, as plain C#.</summary>
public static unsafe class Cases
{
    public static long StructFields(int a, int b, long c)
    {
        var s = new Segment { From = new Point { X = a, Y = b }, To = new Point { X = b, Y = a }, Tag = (byte)c, Weight = (ulong)c };
        Segment copy = s;
        copy.From.X += 1;
        s.To = copy.From;
        return s.From.X + (long)s.To.X * 3 + s.Tag - copy.Tag + (long)(s.Weight >> 3) + copy.To.Y;
    }

    static void Swap(ref Point p) => (p.X, p.Y) = (p.Y, p.X);

    static int Sum(in Point p) => p.X + p.Y;

    static bool TryHalf(int v, out int half)
    {
        half = v / 2;
        return (v & 1) == 0;
    }

    public static long RefInOut(int a, int b)
    {
        var p = new Point { X = a, Y = b };
        Swap(ref p);
        ref int y = ref p.Y;
        y -= 5;
        long r = Sum(in p) + p.X * 2L;
        return TryHalf(a, out int h) ? r + h : r - h;
    }

    public static long RefLocals(long a, long b, long c)
    {
        long x = a, y = b;
        ref long pick = ref (c > 0 ? ref x : ref y);
        pick <<= 2;
        pick ^= c;
        return x - y;
    }

    public static long FixedBuffer(long a, long b)
    {
        WithFixed w = default;
        for (int i = 0; i < 16; i++) w.Bytes[i] = (byte)(a >> (i * 4));
        for (int i = 0; i < 4; i++) w.Longs[i] = b * (i + 1) + w.Bytes[i * 3];
        w.Count = (ushort)(a ^ b);
        long s = w.Count;
        for (int i = 0; i < 16; i++) s += w.Bytes[i] * (i + 1);
        return s + w.Longs[0] - w.Longs[3];
    }

    // A variable index (h.Values[i]) goes through InlineArrayAsSpan and Span<T>, which the compiler rejects (BPF0109):
    // constant indexes and Unsafe.Add over the first element are the supported forms.
    public static long InlineArray(int a, int b)
    {
        var h = new Holder();
        for (int i = 0; i < 8; i++) Unsafe.Add(ref h.Values[0], i) = a * i - b;
        h.Segment.Weight = (ulong)(uint)b;
        long s = (long)h.Segment.Weight;
        EightInts copy = h.Values;
        copy[3] = b;
        copy[7] ^= a;
        for (int i = 0; i < 8; i++) s = s * 7 + Unsafe.Add(ref copy[0], i);
        return s + h.Values[5] + Unsafe.Add(ref h.Values[0], b & 7);
    }

    public static long Stackalloc(long a, int n)
    {
        byte* buf = stackalloc byte[32];
        for (int i = 0; i < 32; i++) buf[i] = (byte)(a >> (i & 63));
        ulong* words = (ulong*)buf;
        byte* p = buf + (n & 15);
        *p = (byte)n;
        p += 4;
        *(p + 1) = (byte)(a >> 8); // bytes: a wider store at a variable stack offset must be provably aligned
        return (long)(words[0] ^ words[3]) + (long)words[1] - (long)words[2] + (p - buf);
    }

    public static long PointerIntoStruct(int a, int b)
    {
        Segment s = default;
        Point* p = &s.From;
        p->X = a;
        (p + 1)->Y = b;
        int* ints = (int*)&s;
        ints[1] = a ^ b;
        byte* raw = (byte*)&s + 16;
        *raw = (byte)b;
        return s.From.X + (long)s.From.Y * 5 + s.To.Y + s.Tag;
    }
}

/// <summary>One syscall program per case.</summary>
[BpfModule]
public static class DataModule
{
    [Syscall(ExceptionReturn = Diff.Throws)] public static int StructFields(ref Args x) { x.R = Cases.StructFields((int)x.A, (int)x.B, x.C); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int RefInOut(ref Args x) { x.R = Cases.RefInOut((int)x.A, (int)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int RefLocals(ref Args x) { x.R = Cases.RefLocals(x.A, x.B, x.C); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int FixedBuffer(ref Args x) { x.R = Cases.FixedBuffer(x.A, x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int InlineArray(ref Args x) { x.R = Cases.InlineArray((int)x.A, (int)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int Stackalloc(ref Args x) { x.R = Cases.Stackalloc(x.A, (int)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int PointerIntoStruct(ref Args x) { x.R = Cases.PointerIntoStruct((int)x.A, (int)x.B); return Diff.Ok; }
}
