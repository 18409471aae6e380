using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.Tracing;

public class AttachAllTests
{
    static BpfObject LoadAttachAll() => BpfObject.Load(TracingFixtures.Compile("attach_all"),
        new ObjectLoadOptions().SetGlobal("target_tgid", (uint)Environment.ProcessId));

    [Fact]
    public void AttachesEverySectionThatNamesItsTargetAndSkipsTheRestWithReasons()
    {
        Kernel.Require();
        using BpfObject obj = LoadAttachAll();
        // A second handle on the counters, to watch them after the object (and its links) are gone.
        using var hits = ArrayMap<ulong>.Wrap(BpfMap.FromId(obj.Map("hits").GetInfo().Id));

        AttachAllResult result = obj.AttachAll();

        Assert.Equal(["list_tasks", "on_exec", "on_openat", "on_sys_enter"], result.Attached.Select(a => a.Name).Order());
        Assert.Equal(["no_target", "on_sample", "pass_packets"], result.Skipped.Select(s => s.ProgramName).Order());
        Assert.Contains("network interface", result.Skipped.Single(s => s.ProgramName == "pass_packets").Reason);
        Assert.Contains("perf event", result.Skipped.Single(s => s.ProgramName == "on_sample").Reason);
        Assert.Contains("names no target", result.Skipped.Single(s => s.ProgramName == "no_target").Reason);
        Assert.Equal(4, obj.Links.Count);
        Assert.Equal(BpfLinkType.PerfEvent, obj.Links["on_openat"].GetInfo().Type);
        Assert.Equal(BpfLinkType.RawTracepoint, obj.Links["on_sys_enter"].GetInfo().Type);
        Assert.Equal("task", obj.Links["list_tasks"].GetInfo().IteratorTarget);

        ulong opens = hits[0], syscalls = hits[1], execs = hits[2];
        Effects.OpenFiles(20);
        Effects.MakeSyscalls();
        Effects.RunTrue();
        Assert.True(hits[0] >= opens + 20, $"tracepoint: {hits[0] - opens} of at least 20 openat calls");
        Assert.True(hits[1] >= syscalls + 100, $"raw_tp: {hits[1] - syscalls} of at least 100 system calls");
        Assert.True(hits[2] >= execs + 1, "tp_btf: the exec of a child of this process was not seen");
        Assert.Contains($"{Environment.ProcessId}\n", obj.Links["list_tasks"].ReadIteratorText());

        // AttachAll again attaches nothing twice.
        AttachAllResult again = obj.AttachAll();
        Assert.Empty(again.Attached);
        Assert.Equal(4, again.Skipped.Count(s => s.Reason.Contains("already attached")));

        uint[] linkIds = obj.Links.Values.Select(l => l.GetInfo().Id).ToArray();
        obj.Dispose();

        Assert.Empty(linkIds.Intersect(BpfLink.EnumerateIds()));
        Effects.AssertStops(hits, 0, () => Effects.OpenFiles(20));
        Effects.AssertStops(hits, 1, Effects.MakeSyscalls);
        Effects.AssertStops(hits, 2, () => Effects.RunTrue());
    }

    [Fact]
    public void ProgramsNotLoadedAreReportedAsSkipped()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("attach_all"),
            new ObjectLoadOptions().SetGlobal("target_tgid", (uint)Environment.ProcessId).SetAutoload("on_exec", false));

        AttachAllResult result = obj.AttachAll();

        Assert.DoesNotContain(result.Attached, a => a.Name == "on_exec");
        Assert.Contains(result.Skipped, s => s.ProgramName == "on_exec" && s.SectionName == "tp_btf/sched_process_exec" && s.Reason.Contains("autoload is off"));
    }
}
