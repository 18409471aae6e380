using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.Frontend;

public struct SampleArgs
{
    public int X;
    public int Y;
    public long Result;
}

[BpfModule]
public static class FrontendSample
{
    [Map(MaxEntries = 16)] public static HashMap<uint, ulong> Counts = null!;
    public static ulong Seen;
    public static readonly uint Limit = 7;

    [Syscall]
    public static int Arith(ref SampleArgs a)
    {
        int s = 0;
        for (int i = 0; i < a.X && i < 10; i++) s += i * a.Y;
        a.Result = a.Y != 0 ? s / a.Y : -1;
        Interlocked.Increment(ref Seen);
        return s > (int)Limit ? 1 : 0;
    }

    [Syscall]
    public static int Lookup(ref SampleArgs a)
    {
        uint key = (uint)a.X;
        ref ulong v = ref Counts.Lookup(key);
        if (Unsafe.IsNullRef(ref v)) return 0;
        a.Result = (long)v + Add3(a.X, a.Y, 1);
        return 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Add3(int a, int b, int c) => a + b + c;
}
