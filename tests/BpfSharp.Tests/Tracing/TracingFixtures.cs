using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Tracing;

/// <summary>The C programs of Tracing/Fixtures, compiled against the running kernel's <c>vmlinux.h</c> (<see cref="BpfC"/>).</summary>
static class TracingFixtures
{
    /// <summary>The object file of fixture <paramref name="name"/> (Fixtures/NAME.bpf.c), compiled on first use.</summary>
    public static string Compile(string name) => BpfC.Compile($"Fixtures/{name}.bpf.c");
}
