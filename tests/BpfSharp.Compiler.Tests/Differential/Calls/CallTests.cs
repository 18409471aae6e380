using Xunit;

namespace BpfSharp.Compiler.Tests.Differential.Calls;

public sealed class CallFixture() : DifferentialFixture(typeof(CallModule));

/// <summary>Inlined and BPF-to-BPF calls, generics: CLR and kernel agree on each input.</summary>
public class CallTests(CallFixture module) : IClassFixture<CallFixture>
{
    public static TheoryData<string> Programs => ModulePrograms.Of(typeof(CallModule));

    [Theory, MemberData(nameof(Programs))]
    public void Kernel_matches_CLR(string program) => module.CheckProgram(program);
}
