using Xunit;

namespace BpfSharp.Compiler.Tests.Differential.Data;

public sealed class DataFixture() : DifferentialFixture(typeof(DataModule));

/// <summary>Data cases: CLR and kernel agree on each input.</summary>
public class DataTests(DataFixture module) : IClassFixture<DataFixture>
{
    public static TheoryData<string> Programs => ModulePrograms.Of(typeof(DataModule));

    [Theory, MemberData(nameof(Programs))]
    public void Kernel_matches_CLR(string program) => module.CheckProgram(program);
}
