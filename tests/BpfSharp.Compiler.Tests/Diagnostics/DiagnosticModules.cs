// One [BpfModule] per diagnostic, each with exactly one offending construct. A marker comment `// BPFnnnn` on the
// offending line is where the diagnostic must point (DiagnosticTests finds the line by reading this file).
#pragma warning disable CS0649, CS0169, CS0414, IDE0051, IDE0052, IDE0060, CA1823, CS8500
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Compiler.Tests.Frontend;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.DiagnosticChecks;

public struct Plain { public int A; }

public struct Empty { }

public unsafe struct WithPointer { public int A; public byte* P; }

[StructLayout(LayoutKind.Auto)]
public struct AutoLayout { public int A; public long B; }

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct Packed { public byte Tag; public ulong Value; }

public struct WithString { public int A; public string S; }

public unsafe struct Big { public fixed byte Pad[40000]; public int Tail; }

public unsafe struct Frame64 { public fixed byte Bytes[64]; }

public struct Block300 { public long A; public Pair P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, P12, P13, P14, P15, P16, P17; }

public struct Pair { public long A, B; }

public interface ICounter { int Next(); }

// ---- BPF00xx ----

[BpfModule]
public static class NoProgramsModule // BPF0004
{
    public static ulong Unused;
}

[BpfModule]
public class NotStaticModule // BPF0005
{
    public int State; // an instance field: a module has no instances

    [Syscall]
    public static int Run(ref SampleArgs a) => a.X;
}

[BpfModule]
public static class DuplicateNameModule
{
    [Map(MaxEntries = 4, Name = "Run")] public static HashMap<uint, ulong> Counts = null!;

    [Syscall]
    public static int Run(ref SampleArgs a) => (int)Counts.Lookup((uint)a.X); // BPF0006
}

// ---- BPF01xx ----

[BpfModule]
public static unsafe class CallThroughPointerModule
{
    static int Twice(int x) => 2 * x;

    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        delegate*<int, int> f = &Twice;
        return f(a.X); // BPF0101
    }
}

[BpfModule]
public static class AllocationModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        object o = new object(); // BPF0102
        return o == null ? 1 : 0;
    }
}

[BpfModule]
public static class StringModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        string s = a.X > 0 ? "positive" : "other"; // BPF0103
        return s == null ? 0 : 1;
    }
}

[BpfModule]
public static class VirtualCallModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        Plain p = new() { A = a.X };
        return p.GetHashCode(); // BPF0104
    }
}

[BpfModule]
public static class InterfaceCallModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) => Next(null!); // see Next

    static int Next(ICounter c) => c.Next(); // BPF0104
}

[BpfModule]
public static class TryCatchModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        try
        {
            return 10 / a.X; // BPF0105 (the first statement: the keyword `try` has no sequence point)
        }
        catch (DivideByZeroException)
        {
            return -1;
        }
    }
}

[BpfModule]
public static class FloatingPointModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        double d = a.X * 1.5; // BPF0106
        return (int)d;
    }
}

[BpfModule]
public static class RecursionModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) => Sum(a.X);

    static int Sum(int n) => n <= 0 ? 0 : n + Sum(n - 1); // BPF0107
}

[BpfModule]
public static class SubprogramRecursionModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) => Sum(a.X);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Sum(int n) => n <= 0 ? 0 : n + Sum(n - 1); // BPF0107
}

[BpfModule]
public static class TooManyArgumentsModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) => Add6(a.X, a.Y, 1, 2, 3, 4); // BPF0108

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Add6(int a, int b, int c, int d, int e, int f) => a + b + c + d + e + f;
}

[BpfModule]
public static class UnsupportedCallModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        Console.WriteLine(a.X); // BPF0109
        return 0;
    }
}

[BpfModule]
public static class ArrayModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) => Length(null!);

    static int Length(int[] values) => values.Length; // BPF0110
}

[BpfModule]
public static class NewArrayModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        int[] values = new int[4]; // BPF0102
        return values[0];
    }
}

[BpfModule]
public static unsafe class StackallocModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        byte* buffer = stackalloc byte[a.X]; // BPF0111
        return buffer[0];
    }
}

[BpfModule]
public static class StaticInitializerModule
{
    public static int Start = Environment.ProcessorCount; // BPF0112

    [Syscall]
    public static int Run(ref SampleArgs a) => Start + a.X;
}

[BpfModule]
public static class ExternModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) => getpid(); // BPF0113

    [DllImport("libc")]
    static extern int getpid();
}

// ---- BPF02xx ----

[BpfModule]
public static class OverAlignedValueModule
{
    [Map(MaxEntries = 4)] public static HashMap<uint, Int128> Values = null!; // BPF0202

    [Syscall]
    public static int Run(ref SampleArgs a) => Unsafe.IsNullRef(ref Values.Lookup(1)) ? 0 : 1;
}

[BpfModule]
public static class PointerValueModule
{
    [Map(MaxEntries = 4)] public static HashMap<uint, WithPointer> Values = null!; // BPF0203

    [Syscall]
    public static int Run(ref SampleArgs a) => Unsafe.IsNullRef(ref Values.Lookup(1)) ? 0 : 1;
}

[BpfModule]
public static class FloatValueModule
{
    [Map(MaxEntries = 4)] public static HashMap<uint, double> Values = null!; // BPF0204

    [Syscall]
    public static int Run(ref SampleArgs a) => Unsafe.IsNullRef(ref Values.Lookup(1)) ? 0 : 1;
}

[BpfModule]
public static class AutoLayoutValueModule
{
    [Map(MaxEntries = 4)] public static HashMap<uint, AutoLayout> Values = null!; // BPF0205

    [Syscall]
    public static int Run(ref SampleArgs a) => Unsafe.IsNullRef(ref Values.Lookup(1)) ? 0 : 1;
}

[BpfModule]
public static class PackedValueModule
{
    [Map(MaxEntries = 4)] public static HashMap<uint, Packed> Values = null!; // BPF0206

    [Syscall]
    public static int Run(ref SampleArgs a) => Unsafe.IsNullRef(ref Values.Lookup(1)) ? 0 : 1;
}

[BpfModule]
public static class EmptyValueModule
{
    [Map(MaxEntries = 4)] public static HashMap<uint, Empty> Values = null!; // BPF0207

    [Syscall]
    public static int Run(ref SampleArgs a) => Unsafe.IsNullRef(ref Values.Lookup(1)) ? 0 : 1;
}

[BpfModule]
public static class ManagedGlobalModule
{
    public static WithString Current; // BPF0208

    [Syscall]
    public static int Run(ref SampleArgs a) => Current.A;
}

// ---- BPF03xx ----

[BpfModule]
public static class StackTooLargeModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) => TwoBlocks(a.X); // BPF0301

    static int TwoBlocks(int x)
    {
        Block300 first = default, second = default;
        first.A = x;
        second = first;
        second.P17.B = 3;
        first.P16.A = second.P17.B;
        return (int)first.P16.A;
    }
}

[BpfModule]
public static class StackAcrossCallsModule
{
    [Syscall]
    public static int Run(ref SampleArgs a) // BPF0301
    {
        Block300 block = default;
        block.A = a.X;
        Fill(ref block);
        return (int)(block.P17.A + Deep(a.Y));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Fill(ref Block300 b) => b.P17.A = 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static long Deep(int y)
    {
        Block300 other = default;
        other.A = y;
        other.P3 = other.P2;
        other.P9.B = other.A + 2;
        return other.P9.B;
    }
}

[BpfModule]
public static class OffsetOutOfRangeModule
{
    [Map(MaxEntries = 1)] public static HashMap<uint, Big> Values = null!;

    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        ref Big big = ref Values.Lookup(0);
        if (Unsafe.IsNullRef(ref big)) return 0;
        return big.Tail; // BPF0302
    }
}

[BpfModule]
public static unsafe class PointerTruncationModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        int x = a.X;
        int* p = &x;
        return (int)p; // BPF0303
    }
}

// ---- BPF04xx ----

[BpfModule]
public static class BadSignatureModule
{
    [Xdp]
    public static int Run(int packetLength) => packetLength; // BPF0401
}

[BpfModule]
public static class MapOnScalarModule
{
    [Map(MaxEntries = 4)] public static ulong Counter; // BPF0402

    [Syscall]
    public static int Run(ref SampleArgs a) => (int)Counter;
}

[BpfModule]
public static class MapWithoutAttributeModule
{
    public static HashMap<uint, ulong> Counts = null!; // BPF0402

    [Syscall]
    public static int Run(ref SampleArgs a) => 0;
}

[BpfModule]
public static class MapAssignedModule
{
    [Map(MaxEntries = 4)] public static HashMap<uint, ulong> Counts = null!;

    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        Counts = null!; // BPF0402
        return 0;
    }
}

[BpfModule]
public static unsafe class NonConstantInitBlockModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        byte* buffer = stackalloc byte[16];
        Unsafe.InitBlock(buffer, 0, (uint)a.X); // BPF0403
        return buffer[0];
    }
}

[BpfModule]
public static class EmptyTracepointModule
{
    [Tracepoint("", "sys_enter_openat")]
    public static int Run() => 0; // BPF0404
}

[BpfModule]
public static class UnknownSectionModule
{
    [Program("no_such_section")]
    public static int Run() => 0; // BPF0405
}

[BpfModule]
public static class TwoProgramAttributesModule
{
    [Xdp, SocketFilter]
    public static int Run() => 0; // BPF0406
}

// ---- Ordinary C# the compiler should accept but currently fails on (reported as internal errors) ----

[BpfModule]
public static class ArrayMapLookupModule
{
    [Map(MaxEntries = 1)] public static ArrayMap<ulong> Values = null!;

    [Syscall]
    public static int Run(ref SampleArgs a) => Unsafe.IsNullRef(ref Values.Lookup(0)) ? 0 : 1;
}

[BpfModule]
public static unsafe class PointerIndexModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        byte* p = stackalloc byte[8];
        return p[a.X & 7];
    }
}

[BpfModule]
public static unsafe class FixedBufferIndexModule
{
    [Syscall]
    public static int Run(ref SampleArgs a)
    {
        Frame64 frame = default;
        frame.Bytes[a.X & 63] = 1;
        return frame.Bytes[a.Y & 63];
    }
}
