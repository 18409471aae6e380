using Xunit;

namespace BpfSharp.Compiler.Tests.Differential.State;

public sealed class StateFixture() : DifferentialFixture(typeof(StateModule));

/// <summary>
/// Globals evolve over the input sequence on both sides (CLR statics, kernel .data/.bss); each program owns its
/// statics, so the two runs see the same history, and the final values are read back from the kernel's maps.
/// </summary>
public class StateTests(StateFixture module) : IClassFixture<StateFixture>
{
    [Fact]
    public void Constants_and_rodata() => module.CheckProgram(nameof(StateModule.Constants));

    [Fact]
    public void Mutable_statics_evolve_alike()
    {
        module.CheckProgram(nameof(StateModule.Statics));
        Assert.Equal(StateModule.Total, module.Object.GetGlobal<long>(nameof(StateModule.Total)));
        Assert.Equal(StateModule.Counter, module.Object.GetGlobal<int>(nameof(StateModule.Counter)));
    }

    [Fact]
    public void Interlocked_on_statics()
    {
        _ = module.Object;
        // the previous test may have run on the CLR statics and the kernel's: start both from the same values
        (StateModule.Total, StateModule.Counter, StateModule.Bits, StateModule.Swapped) = (3, 5, 0xFF00, 0);
        module.Object.SetGlobal(nameof(StateModule.Total), 3L);
        module.Object.SetGlobal(nameof(StateModule.Counter), 5);
        module.Object.SetGlobal(nameof(StateModule.Bits), 0xFF00UL);
        module.Object.SetGlobal(nameof(StateModule.Swapped), 0L);
        module.CheckProgram(nameof(StateModule.Atomics));
        Assert.Equal(StateModule.Total, module.Object.GetGlobal<long>(nameof(StateModule.Total)));
        Assert.Equal(StateModule.Bits, module.Object.GetGlobal<ulong>(nameof(StateModule.Bits)));
        Assert.Equal(StateModule.Swapped, module.Object.GetGlobal<long>(nameof(StateModule.Swapped)));
    }

    [Fact]
    public void Interlocked_on_map_values() =>
        module.Check(nameof(StateModule.MapAtomics), MapModel.Run, Inputs.Operands(nameof(StateModule.MapAtomics)));
}
