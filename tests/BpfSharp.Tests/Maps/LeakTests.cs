using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Maps;

/// <summary>Runs alone (no other test creates or closes fds meanwhile), so the process's fd count is stable.</summary>
[CollectionDefinition(nameof(FdCountingCollection), DisableParallelization = true)]
public sealed class FdCountingCollection;

[Collection(nameof(FdCountingCollection))]
public class LeakTests
{
    const int Cycles = 1000;

    /// <summary>
    /// Two measures. First, a few cycles inside a no-GC region, counted without collecting: a handle that was not
    /// disposed is still open then (the finalizer cannot have closed it). Second, <see cref="Cycles"/> cycles counted
    /// after a full GC, retried a few times so a runtime thread opening a file for a moment does not decide it.
    /// </summary>
    static void AssertNoFdLeak(Action cycle)
    {
        cycle(); // warm-up: lazily opened runtime files must not count as a leak
        (int All, int Bpf) before = Settled();

        Assert.True(GC.TryStartNoGCRegion(64L * 1024 * 1024), "could not suspend the GC for the no-finalizer count");
        (int All, int Bpf) unfinalized;
        try
        {
            for (int i = 0; i < 10; i++) cycle();
            unfinalized = Native.CountFds();
        }
        finally
        {
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
        Assert.Equal(before.Bpf, unfinalized.Bpf);

        for (int i = 0; i < Cycles; i++) cycle();
        (int All, int Bpf) after = default;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            after = Settled();
            if (after == before) break;
            Thread.Sleep(50);
        }
        Assert.Equal(before.Bpf, after.Bpf);
        Assert.Equal(before.All, after.All);
    }

    static (int, int) Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Native.CountFds();
    }

    /// <summary>Counts BPF fds without a GC: a handle left to the finalizer stays open until then.</summary>
    static int BpfFdsNow() => Native.CountFds().Bpf;

    [Fact]
    public void MapCreateUseDisposeLeavesNoFd()
    {
        Kernel.Require();
        int start = BpfFdsNow();
        AssertNoFdLeak(() =>
        {
            using var map = HashMap<uint, ulong>.Create(8, "leak_hash");
            map.Update(1, 2);
            Assert.Equal(2ul, map[1]);
            using var again = new HashMap<uint, ulong>(BpfMap.FromId(map.Map.GetInfo().Id));
            Assert.Equal(2ul, again[1]);
            using var array = ArrayMap<ulong>.Create(4, "leak_mmap", Abi.MapCreateFlags.Mmapable);
            array.AsSpan()[1] = 5;
            Assert.Equal(5ul, array[1]);
        });
        Assert.Equal(start, BpfFdsNow());
    }

    [Fact]
    public void ProgramLoadRunDisposeLeavesNoFd()
    {
        Kernel.Require();
        int start = BpfFdsNow();
        byte[] packet = TestPrograms.Packet();
        AssertNoFdLeak(() =>
        {
            using var array = ProgramArray.Create(1, "leak_progs");
            using BpfProgram target = TestPrograms.Returning(5, "leak_target");
            using BpfProgram caller = TestPrograms.TailCalling(array, 0, 1, "leak_caller");
            array.Set(0, target);
            Assert.Equal(5u, caller.TestRun(packet));
        });
        Assert.Equal(start, BpfFdsNow());
    }

    [Fact]
    public void FailedCreateLeavesNoFd()
    {
        Kernel.Require();
        AssertNoFdLeak(() =>
        {
            using var inner = BpfMap.Create(new MapSpec { Type = Abi.BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1 });
            Assert.Throws<BpfSyscallException>(() => BpfMap.Create(new MapSpec
            {
                Type = Abi.BpfMapType.ArrayOfMaps, KeySize = 8, ValueSize = 4, MaxEntries = 1, InnerMap = inner,
            }));
            Assert.Throws<BpfSyscallException>(() => BpfMap.FromId(uint.MaxValue));
        });
    }
}
