using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Bench.Compiler;

/// <summary>4. A chain of four BPF-to-BPF calls, each level doing some arithmetic on the packet length (c/call_chain.bpf.c).</summary>
[BpfModule]
public static unsafe class CallChain
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    static uint Level4(uint x) => (x ^ (x >> 16)) * 0x45d9f3bu;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static uint Level3(uint x) => Level4(x + 0x9e3779b9u) * 5 + 1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static uint Level2(uint x) => Level3(x * 31 + 7) ^ (x >> 3);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static uint Level1(uint x) => Level2(x ^ 0x5bd1e995u) + x;

    [Xdp]
    public static XdpAction RunCallChain(XdpMd* ctx)
    {
        uint length = (uint)(ctx->DataEnd - ctx->Data);
        return Level1(length) % 3 == 0 ? XdpAction.Drop : XdpAction.Pass;
    }
}
