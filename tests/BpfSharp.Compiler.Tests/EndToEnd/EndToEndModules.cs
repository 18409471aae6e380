using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.EndToEnd;

public enum FlowKind : byte { Unknown, Tcp = 6, Udp = 17 }

public struct FlowKey
{
    public uint Source;
    public ulong Cookie;  // padding before it: 4 bytes
}

public struct FlowStats
{
    public ulong Packets;
    public FlowKind Kind;
    public bool Seen;
    public char Tag;
}

public struct CountArgs
{
    public uint Source;
    public uint Times;
    public ulong Out;
}

/// <summary>A non-static module, so it can be a type argument of BpfObject.Load&lt;TModule&gt;().</summary>
[BpfModule]
public sealed class LoadableModule
{
    [Map(MaxEntries = 64)] public static HashMap<FlowKey, FlowStats> Flows = null!;
    public static readonly uint Increment = 1;
    public static ulong Calls;

    [Syscall]
    public static int Count(ref CountArgs a)
    {
        var key = new FlowKey { Source = a.Source, Cookie = 42 };
        for (uint i = 0; i < a.Times && i < 100; i++)
        {
            ref FlowStats s = ref Flows.Lookup(key);
            if (Unsafe.IsNullRef(ref s))
            {
                Flows.Update(key, new FlowStats { Packets = Increment, Kind = FlowKind.Udp, Seen = true, Tag = 'x' });
                continue;
            }
            s.Packets += Increment;
        }
        Calls++;
        ref FlowStats final = ref Flows.Lookup(key);
        a.Out = Unsafe.IsNullRef(ref final) ? 0 : final.Packets;
        return 0;
    }
}

/// <summary>A program the verifier must reject: a map value used without the null check.</summary>
[BpfModule]
public static class VerifierRejectsModule
{
    [Map(MaxEntries = 4)] public static ArrayMap<ulong> Values = null!;

    [Syscall]
    public static int Unchecked(ref CountArgs a)
    {
        ref ulong v = ref Values.Lookup(a.Source);
        a.Out = v; // VERIFIER-REJECTS-HERE
        return 0;
    }
}

[InlineArray(8)]
public struct EightValues
{
    uint _element;
}

/// <summary>[InlineArray] indexed by a variable: Roslyn goes through Span&lt;T&gt;, whose indexer checks bounds as C# does.</summary>
[BpfModule]
public static class InlineArrayIndexModule
{
    public const int OutOfRange = 77;

    [Syscall(ExceptionReturn = OutOfRange)]
    public static int Sum(ref CountArgs a)
    {
        var values = new EightValues();
        for (int i = 0; i < 8; i++) values[i] = (uint)(i * 3 + 1);
        ulong sum = 0;
        for (int i = 0; i < (int)a.Times && i < 12; i++) sum += values[i]; // i = 8 is out of range
        a.Out = sum;
        return 0;
    }
}
