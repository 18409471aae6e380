using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Links.Uprobes;
using BpfSharp.Maps;
using BpfSharp.Objects;
using BpfSharp.Tests.Support;
using BpfSharp.Tests.Uprobes;
using Xunit;

namespace BpfSharp.Tests.AttachAll;

/// <summary>
/// <see cref="BpfObject.AttachAll"/> on an object whose sections name user-space targets: uprobe, uretprobe,
/// uprobe.multi (a glob) and USDT (arguments read through libbpf's usdt.bpf.h, a semaphore raised), on a private copy
/// of the test binary whose path is compiled into the section names. The probed program runs for real; after the object
/// is disposed, a new run is counted nowhere.
/// </summary>
public class UserSpaceProbeTests
{
    // Slots of probes.bpf.c's results map.
    const uint TargetCalls = 0, TargetSumA = 1, TargetSumB = 2, ReturnCalls = 3, ReturnSum = 4, MultiCalls = 5,
        TickCalls = 6, TickSumI = 7, TickSumScaled = 8, TickSumFive = 9, TickSumMem = 10, GuardedCalls = 11, GuardedSumI = 12, Slots = 13;

    static long[] Read(ArrayMap<long> results) => [.. Enumerable.Range(0, (int)Slots).Select(i => results[(uint)i])];

    [Fact]
    public void EveryUserSpaceSectionAttachesAndCountsUntilTheObjectIsDisposed()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        string exe = binary.PrivateCopy();
        string objectFile = BpfC.Compile("probes.bpf.c", [$"-DTARGET=\"{exe}\""]);
        const int n = 10;
        long sumI = n * (n - 1) / 2;

        ArrayMap<long> results;
        TargetReport report;
        using (BpfObject bpf = BpfObject.Load(objectFile))
        {
            results = ArrayMap<long>.Wrap(BpfMap.FromId(bpf.Map("results").GetInfo().Id)); // a handle of its own: outlives the object

            AttachAllResult attached = bpf.AttachAll();

            Assert.Equal(["on_guarded", "on_t_functions", "on_target", "on_target_return", "on_tick"], attached.Attached.Select(a => a.Name).Order(StringComparer.Ordinal));
            Assert.Empty(attached.Skipped);
            Assert.Equal($"uprobe.multi/{exe}:bpfsharp_t*", attached.Attached.Single(a => a.Name == "on_t_functions").SectionName);
            Assert.Equal(BpfLinkType.PerfEvent, bpf.Links["on_target"].GetInfo().Type);
            Assert.True(UprobeLinkInfo.Read(bpf.Links["on_target_return"]).Retprobe);
            Assert.Equal(2, UprobeLinkInfo.Read(bpf.Links["on_t_functions"]).Offsets.Count); // bpfsharp_target, bpfsharp_third
            UsdtLink guarded = Assert.IsType<UsdtLink>(attached.Attached.Single(a => a.Name == "on_guarded").Group);
            Assert.NotEqual(0ul, guarded.Sites[0].SemaphoreOffset);

            // Started after the attach: the kernel raises the USDT semaphore as the process maps the binary.
            using TargetProcess run = UprobeTestBinary.Start(exe, n);
            report = run.Go();
        }

        using (results)
        {
            long[] counted = Read(results);
            Assert.Equal(n, counted[TargetCalls]);
            Assert.Equal(sumI, counted[TargetSumA]);                          // bpfsharp_target(i, 7)
            Assert.Equal(7L * n, counted[TargetSumB]);
            Assert.Equal(n, counted[ReturnCalls]);
            Assert.Equal(UprobeTestBinary.TargetReturnSum(n), counted[ReturnSum]); // Σ i * 10 + 7
            Assert.Equal(n * (1 + 3), counted[MultiCalls]);                   // target once and third three times a round
            Assert.Equal(n, counted[TickCalls]);
            Assert.Equal(sumI, counted[TickSumI]);                            // int i
            Assert.Equal(1000 * sumI - 3L * n, counted[TickSumScaled]);       // (long)i * 1000 - 3
            Assert.Equal(5L * n, counted[TickSumFive]);                       // a constant
            Assert.Equal(sumI + 100L * n, counted[TickSumMem]);               // a volatile local on the stack
            Assert.Equal((1, n), (report.Semaphore, report.Guarded));
            Assert.Equal(n, counted[GuardedCalls]);
            Assert.Equal(sumI, counted[GuardedSumI]);

            // The object owned every link: disposed with it, nothing fires and the semaphore stays down.
            using TargetProcess after = UprobeTestBinary.Start(exe, 6);
            TargetReport afterReport = after.Go();
            Assert.Equal((0, 0), (afterReport.Semaphore, afterReport.Guarded));
            Assert.Equal(counted, Read(results));
        }
    }
}
