using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Reference;

namespace BpfSharp.Interop.Tests.Tools;

/// <summary>The preconditions of interop tests in one call each (skip locally, fail under CI).</summary>
public static class Require
{
    /// <summary>clang-19, bpftool and kernel BTF, to compile fixtures.</summary>
    public static void Compiler() => Kernel.Refuse(FixtureCompiler.Unavailable);

    /// <summary>Everything needed to load a fixture with libbpf: compiler, harness toolchain, bpffs and a BPF-capable kernel.</summary>
    public static void LibbpfLoad()
    {
        Kernel.Require();
        Compiler();
        Kernel.Refuse(LibbpfReference.Unavailable);
    }
}
