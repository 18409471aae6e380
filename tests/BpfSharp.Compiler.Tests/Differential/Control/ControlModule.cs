using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.Differential.Control;

public enum Small : byte { Zero, One, Two, Max = 255 }
public enum Color { Red = -1, Green = 7, Blue = int.MaxValue }
[Flags] public enum Wide : long { None = 0, Low = 1, High = long.MinValue, Mid = 1L << 40 }

/// <summary>Branches, switches, loops, bool/char/enum logic and explicit throws, as plain C#.</summary>
public static class Cases
{
    public static int IfElse(int a, int b)
    {
        if (a > b) return a - b;
        else if (a == b) return 0;
        else if ((uint)a < (uint)b) return 1;
        return -1;
    }

    public static long Ternary(long a, long b, long c) => a < 0 ? (b > c ? b : c) : (ulong)a > (ulong)b ? a ^ b : c;

    public static bool ShortCircuit(int a, int b, int c) => (a > 0 && b / a > 2) || (c != 0 && a % c == 1) || (a == b && !(c > 5));

    public static int SwitchConstants(int a) => a switch
    {
        0 => 10, 1 => 11, 2 => 12, 3 => 13, 5 => 15, 8 => 18, 13 => 113, -1 => 99, int.MinValue => 7,
        _ => -5,
    };

    public static int SwitchStatement(long a)
    {
        int r = 0;
        switch (a)
        {
            case 1:
            case 2: r = 1; break;
            case 7: r = 7; goto case 100;
            case 100: r += 100; break;
            case long.MaxValue: return 42;
            default: r = -1; break;
        }
        return r * 3;
    }

    public static int SwitchPatterns(int a) => a switch
    {
        1 or 2 => 100,
        > 10 and < 100 => 200,
        >= 100 => 300,
        < -1000 => 400,
        not 0 => 500,
        _ => 600,
    };

    public static int SwitchUnsignedPatterns(uint a) => a switch { < 10 => 1, >= 0x8000_0000 => 2, 31 or 32 or 33 => 3, _ => 4 };

    public static long ForLoop(int n, long x)
    {
        long acc = 0;
        for (int i = 0; i < n && i < 50; i++)
        {
            if ((i & 3) == 3) continue;
            acc = acc * 31 + (x >> i);
            if (acc == 12345) break;
        }
        return acc;
    }

    public static int WhileLoop(uint x)
    {
        int steps = 0;
        while (x != 1 && steps < 100)
        {
            x = (x & 1) == 0 ? x / 2 : 3 * x + 1;
            steps++;
        }
        return steps;
    }

    public static int DoLoop(ulong x)
    {
        int bits = 0, guard = 0;
        do
        {
            if ((x & 1) != 0) bits++;
            x >>= 1;
            if (++guard > 70) break;
        } while (x != 0);
        return bits;
    }

    public static long NestedLoops(int a, int b)
    {
        long s = 0;
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                if (j > i) break;
                if (((a >> j) & 1) == 0) continue;
                s += (long)i * j + b;
            }
            if (s > 1_000_000_000) return -s;
        }
        return s;
    }

    public static int EarlyReturns(long a, long b)
    {
        if (a == 0) return 1;
        if (b == 0) return 2;
        if (a < b) { if (a < 0) return 3; return 4; }
        return a == long.MaxValue ? 5 : 6;
    }

    public static int Throws(int a, int b)
    {
        if (a == 13) throw new InvalidOperationException("thirteen");
        if (b < 0 && a > 0) throw new ArgumentException("mixed signs");
        return a + b;
    }

    public static bool BoolLogic(bool p, bool q, bool r) => (p & q) | (p ^ r) & !q || p == r && q != p;

    public static char CharStep(char c, int n) => (char)(c + n);

    public static bool CharClass(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9' || c == '_';

    public static int SmallEnum(Small s) => s switch { Small.Zero => 1, Small.One => 2, Small.Max => 3, _ => (int)s * 5 };

    public static long ColorEnum(Color c, Color d) => c < d ? (long)c - (long)d : c == Color.Blue ? 1 : (int)(c | d);

    public static long WideEnum(Wide w) => (long)((w & Wide.High) != 0 ? (w ^ Wide.Mid) : w | Wide.Low);
}

/// <summary>One syscall program per case.</summary>
[BpfModule]
public static class ControlModule
{
    [Syscall(ExceptionReturn = Diff.Throws)] public static int IfElse(ref Args x) { x.R = Cases.IfElse((int)x.A, (int)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int Ternary(ref Args x) { x.R = Cases.Ternary(x.A, x.B, x.C); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int ShortCircuit(ref Args x) { x.R = Cases.ShortCircuit((int)x.A, (int)x.B, (int)x.C) ? 1 : 0; return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int SwitchConstants(ref Args x) { x.R = Cases.SwitchConstants((int)x.A) + Cases.SwitchConstants((int)(x.B & 15)); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int SwitchStatement(ref Args x) { x.R = Cases.SwitchStatement(x.A) + Cases.SwitchStatement(x.B & 7); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int SwitchPatterns(ref Args x) { x.R = Cases.SwitchPatterns((int)x.A) * 7 + Cases.SwitchPatterns((int)(x.B % 200)); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int SwitchUnsignedPatterns(ref Args x) { x.R = Cases.SwitchUnsignedPatterns((uint)x.A) * 7 + Cases.SwitchUnsignedPatterns((uint)(x.B & 63)); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int ForLoop(ref Args x) { x.R = Cases.ForLoop((int)(x.A & 63), x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int WhileLoop(ref Args x) { x.R = Cases.WhileLoop((uint)x.A); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int DoLoop(ref Args x) { x.R = Cases.DoLoop((ulong)x.A); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int NestedLoops(ref Args x) { x.R = Cases.NestedLoops((int)x.A, (int)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int EarlyReturns(ref Args x) { x.R = Cases.EarlyReturns(x.A, x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int Throws(ref Args x) { x.R = Cases.Throws((int)x.A & 15, (int)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int BoolLogic(ref Args x) { x.R = Cases.BoolLogic((x.A & 1) != 0, (x.B & 1) != 0, x.C < 0) ? 1 : 0; return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int CharStep(ref Args x) { x.R = Cases.CharStep((char)x.A, (int)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int CharClass(ref Args x) { x.R = Cases.CharClass((char)x.A) ? 1 : 0; return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int SmallEnum(ref Args x) { x.R = Cases.SmallEnum((Small)x.A) + Cases.SmallEnum((Small)(x.B & 3)); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int ColorEnum(ref Args x) { x.R = Cases.ColorEnum((Color)x.A, (Color)x.B); return Diff.Ok; }
    [Syscall(ExceptionReturn = Diff.Throws)] public static int WideEnum(ref Args x) { x.R = Cases.WideEnum((Wide)x.A); return Diff.Ok; }
}
