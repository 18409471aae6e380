using Xunit;

namespace BpfSharp.Compiler.Tests.Differential.Integers;

public sealed class IntegerFixture() : DifferentialFixture(typeof(IntegerModule));

/// <summary>Every integer type through every operator: CLR and kernel agree on each input.</summary>
public class IntegerTests(IntegerFixture module) : IClassFixture<IntegerFixture>
{
    public static TheoryData<string> Programs => ModulePrograms.Of(typeof(IntegerModule));

    [Theory, MemberData(nameof(Programs))]
    public void Kernel_matches_CLR(string program) => module.CheckProgram(program);
}
