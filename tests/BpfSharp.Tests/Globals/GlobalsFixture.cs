using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Globals;

/// <summary><c>globals_live.bpf.c</c>, compiled once per test process (<see cref="BpfC"/>).</summary>
static class GlobalsFixture
{
    /// <summary>The compiled object (<c>globals_live.bpf.o</c>, so the object is named <c>globals_live</c>).</summary>
    public static string ObjectPath => BpfC.Compile("globals_live.bpf.c");
}
