using Xunit;

namespace BpfSharp.Compiler.Tests.Differential.Conversions;

public sealed class ConversionFixture() : DifferentialFixture(typeof(ConversionModule));

/// <summary>Unchecked and checked conversions and checked arithmetic: CLR and kernel agree on each input.</summary>
public class ConversionTests(ConversionFixture module) : IClassFixture<ConversionFixture>
{
    public static TheoryData<string> Programs => ModulePrograms.Of(typeof(ConversionModule));

    [Theory, MemberData(nameof(Programs))]
    public void Kernel_matches_CLR(string program) => module.CheckProgram(program);
}
