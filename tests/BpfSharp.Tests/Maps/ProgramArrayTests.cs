using BpfSharp.Abi;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Maps;

public class ProgramArrayTests
{
    const int TargetValue = 0x5eed, FallthroughValue = 7;

    [Fact]
    public void TailCallReachesTheProgramInTheSlotUntilItIsRemoved()
    {
        Kernel.Require();
        using var array = ProgramArray.Create(4, "jmp_table");
        using BpfProgram target = TestPrograms.Returning(TargetValue, "tail_target");
        using BpfProgram caller = TestPrograms.TailCalling(array, 0, FallthroughValue, "tail_caller");
        byte[] packet = TestPrograms.Packet();

        // Empty slot: bpf_tail_call returns and the caller falls through.
        Assert.Equal((uint)FallthroughValue, caller.TestRun(packet));
        Assert.False(array.TryGetProgramId(0, out _));

        array.Set(0, target);
        Assert.True(array.TryGetProgramId(0, out uint id));
        Assert.Equal(target.GetInfo().Id, id);
        Assert.NotEqual(caller.GetInfo().Id, id);
        Assert.Equal((uint)TargetValue, caller.TestRun(packet));

        Assert.True(array.Remove(0));
        Assert.False(array.Remove(0));
        Assert.False(array.TryGetProgramId(0, out _));
        Assert.Equal((uint)FallthroughValue, caller.TestRun(packet));
    }

    [Fact]
    public void ReplacingASlotSwitchesTheTailCallTarget()
    {
        Kernel.Require();
        using var array = ProgramArray.Create(2, "jmp_swap");
        using BpfProgram first = TestPrograms.Returning(11, "first");
        using BpfProgram second = TestPrograms.Returning(22, "second");
        using BpfProgram caller = TestPrograms.TailCalling(array, 1, FallthroughValue, "caller");
        byte[] packet = TestPrograms.Packet();

        array.Set(1, first);
        Assert.Equal(11u, caller.TestRun(packet));
        array.Set(1, second);
        Assert.Equal(22u, caller.TestRun(packet));
        Assert.True(array.TryGetProgramId(1, out uint id));
        Assert.Equal(second.GetInfo().Id, id);
    }

    [Fact]
    public void SetOutsideTheArrayIsRefusedWithE2big()
    {
        Kernel.Require();
        using var array = ProgramArray.Create(2, "jmp_small");
        using BpfProgram target = TestPrograms.Returning(1, "t");
        var e = Assert.Throws<BpfSyscallException>(() => array.Set(2, target));
        Assert.Equal(Errno.E2BIG, e.Errno);
        Assert.Contains("jmp_small", e.Message);
    }

    [Fact]
    public void WrappingAMapOfAnotherTypeIsRefused()
    {
        Kernel.Require();
        using BpfMap map = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = "not_progs" });
        var e = Assert.Throws<ArgumentException>(() => new ProgramArray(map));
        Assert.Contains("ProgArray", e.Message);
    }
}
