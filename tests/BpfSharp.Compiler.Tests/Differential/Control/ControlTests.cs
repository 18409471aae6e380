using Xunit;

namespace BpfSharp.Compiler.Tests.Differential.Control;

public sealed class ControlFixture() : DifferentialFixture(typeof(ControlModule));

/// <summary>Control cases: CLR and kernel agree on each input.</summary>
public class ControlTests(ControlFixture module) : IClassFixture<ControlFixture>
{
    public static TheoryData<string> Programs => ModulePrograms.Of(typeof(ControlModule));

    [Theory, MemberData(nameof(Programs))]
    public void Kernel_matches_CLR(string program) => module.CheckProgram(program);
}
