using BpfSharp.Elf;
using BpfSharp.Links;
using BpfSharp.Links.Uprobes;
using BpfSharp.Maps;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Uprobes;

/// <summary>
/// USDT probes of the test program read by a clang-built C program through libbpf's &lt;bpf/usdt.bpf.h&gt;
/// (BPF_USDT, bpf_usdt_arg, bpf_usdt_cookie), with the semaphore raised only while attached.
/// </summary>
public class UsdtTests
{
    // Slots of usdt_args.bpf.c's results map.
    const uint TickCalls = 0, TickSumI = 1, TickSumScaled = 2, TickSumFive = 3, TickSumArgCount = 4, TickSumCookie = 5, TickSumMem = 6,
        GuardedCalls = 7, GuardedSumI = 8, Errors = 9;

    /// <summary>What the program must have added up after <paramref name="n"/> rounds with USDT cookie <paramref name="cookie"/>.</summary>
    static void AssertTicks(ArrayMap<long> results, int n, long cookie)
    {
        long sumI = (long)n * (n - 1) / 2;
        Assert.Equal(n, results[TickCalls]);
        Assert.Equal(sumI, results[TickSumI]);                     // -4@%ebx: int i
        Assert.Equal(1000 * sumI - 3L * n, results[TickSumScaled]); // -8@%r13: (long)i * 1000 - 3
        Assert.Equal(5L * n, results[TickSumFive]);                 // -4@$5: a constant
        Assert.Equal(sumI + 100L * n, results[TickSumMem]);         // -4@28(%rsp): a volatile local on the stack
        Assert.Equal(4L * n, results[TickSumArgCount]);
        Assert.Equal(cookie * n, results[TickSumCookie]);
        Assert.Equal(0, results[Errors]);                           // a fifth argument is -ENOENT
    }

    [Fact]
    public void ArgumentsCookieAndSemaphoreOfTheFilteredProcess()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        string exe = binary.PrivateCopy();
        using BpfObject bpf = BpfObject.Load(UprobeTestBinary.UsdtProgram());
        var results = bpf.Map<ArrayMap<long>>("results");
        using TargetProcess watched = UprobeTestBinary.Start(exe, 10);
        using TargetProcess other = UprobeTestBinary.Start(exe, 10);

        using (UsdtLink tick = UsdtLink.Attach(bpf, "on_tick", exe, "bpfsharp", "tick", new UsdtOptions { Pid = watched.Pid, Cookie = 42 }))
        using (UsdtLink guarded = UsdtLink.Attach(bpf, "on_guarded", exe, "bpfsharp", "guarded", new UsdtOptions { Pid = watched.Pid }))
        {
            Assert.False(tick.IsUprobeMulti); // SEC("usdt") programs load without BPF_TRACE_UPROBE_MULTI: one uprobe per site
            Assert.Single(tick.Sites);
            Assert.Single(tick.Links);
            Assert.Equal(0ul, tick.Sites[0].SemaphoreOffset);
            Assert.NotEqual(0ul, guarded.Sites[0].SemaphoreOffset);
            Assert.NotEqual(tick.SpecIds[0], guarded.SpecIds[0]);

            TargetReport watchedReport = watched.Go();
            TargetReport otherReport = other.Go();

            AssertTicks(results, 10, 42);
            Assert.Equal(1, watchedReport.Semaphore);  // raised in the traced process only
            Assert.Equal(10, watchedReport.Guarded);
            Assert.Equal(0, otherReport.Semaphore);
            Assert.Equal(0, otherReport.Guarded);
            Assert.Equal(10, results[GuardedCalls]);
            Assert.Equal(45, results[GuardedSumI]);
            Assert.Equal([guarded.Sites[0].SemaphoreOffset], UprobeLinkInfo.Read(guarded.Links[0]).RefCounterOffsets);
        }
    }

    [Fact]
    public void EveryProcessThenNothingAfterDispose()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        string exe = binary.PrivateCopy();
        using BpfObject bpf = BpfObject.Load(UprobeTestBinary.UsdtProgram());
        var results = bpf.Map<ArrayMap<long>>("results");

        using (UsdtLink guarded = UsdtLink.FromSection(bpf.Program("on_guarded"), $"usdt/{exe}:bpfsharp:guarded", bpf.Map(UsdtSpec.MapName))!)
        {
            // Started after the attach: the kernel raises the semaphore when the process maps the binary.
            using TargetProcess a = UprobeTestBinary.Start(exe, 3);
            using TargetProcess b = UprobeTestBinary.Start(exe, 4);
            TargetReport ra = a.Go(), rb = b.Go();
            Assert.Equal((1, 3, 1, 4), (ra.Semaphore, ra.Guarded, rb.Semaphore, rb.Guarded));
            Assert.Equal(7, results[GuardedCalls]);
        }

        using TargetProcess after = UprobeTestBinary.Start(exe, 5);
        TargetReport r = after.Go();
        Assert.Equal((0, 0), (r.Semaphore, r.Guarded));
        Assert.Equal(7, results[GuardedCalls]);
    }

    [Fact]
    public void OneUprobeMultiLinkForAProgramLoadedForIt()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using BpfObject bpf = BpfObject.Load(UprobeTestBinary.UsdtProgram(forUprobeMulti: true));
        var results = bpf.Map<ArrayMap<long>>("results");
        using TargetProcess child = binary.Start(8);

        using UsdtLink tick = UsdtLink.Attach(bpf, "on_tick", binary.Executable, "bpfsharp", "tick", new UsdtOptions { Pid = child.Pid, Cookie = 7 });
        using UsdtLink guarded = UsdtLink.Attach(bpf, "on_guarded", binary.Executable, "bpfsharp", "guarded",
            new UsdtOptions { Pid = child.Pid, Mode = UsdtAttachMode.UprobeMulti });
        TargetReport report = child.Go();

        Assert.True(tick.IsUprobeMulti);
        Assert.True(guarded.IsUprobeMulti);
        AssertTicks(results, 8, 7);
        Assert.Equal((1, 8), (report.Semaphore, report.Guarded));
        Assert.Equal(8, results[GuardedCalls]);
    }

    [Fact]
    public void WithoutASpecMapTheCookieIsTheBpfCookie()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var counts = ArrayMap<ulong>.Create(8, "usdt_raw");
        using BpfProgram program = ProbePrograms.CookieCounter(counts);
        using TargetProcess child = binary.Start(6);

        using UsdtLink link = UsdtLink.Attach(program, binary.Executable, "bpfsharp", "tick", new UsdtOptions { Pid = child.Pid, Cookie = 5 });
        child.Go();

        Assert.Empty(link.SpecIds);
        Assert.Equal(6ul, counts[5]);
    }

    [Fact]
    public void SpecSlotsAreSharedOutAndReturned()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using BpfObject bpf = BpfObject.Load(UprobeTestBinary.UsdtProgram());
        BpfMap specs = bpf.Map(UsdtSpec.MapName);

        int first;
        using (UsdtLink a = UsdtLink.Attach(bpf, "on_tick", binary.Executable, "bpfsharp", "tick"))
        using (UsdtLink b = UsdtLink.Attach(bpf, "on_tick", binary.Executable, "bpfsharp", "tick"))
        {
            first = a.SpecIds[0];
            Assert.NotEqual(a.SpecIds[0], b.SpecIds[0]);
            byte[] value = new byte[UsdtSpec.Size];
            Assert.True(specs.TryLookup(BitConverter.GetBytes(a.SpecIds[0]), value));
            Assert.Equal(4, BitConverter.ToInt16(value, 200)); // arg_cnt
        }
        using UsdtLink again = UsdtLink.Attach(bpf, "on_tick", binary.Executable, "bpfsharp", "tick");
        Assert.Equal(first, again.SpecIds[0]);
    }

    [Fact]
    public void AMissingProbeListsNearMatches()
    {
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using NativeElfFile elf = NativeElfFile.Open(binary.Executable);
        using NativeElfFile library = NativeElfFile.Open(binary.Library);

        var e = Assert.Throws<UprobeTargetException>(() => UsdtProbe.Find(elf, "bpfsharp", "tik"));
        Assert.Contains("bpfsharp:tick", e.NearMatches);
        Assert.Contains("no USDT probe bpfsharp:tik", e.Message);

        var none = Assert.Throws<UprobeTargetException>(() => UsdtProbe.Find(library, "bpfsharp", "tick"));
        Assert.Contains("has no USDT probes", none.Message);
    }

    [Fact]
    public void TheNotesAsReadelfShowsThem()
    {
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using NativeElfFile elf = NativeElfFile.Open(binary.Executable);

        IReadOnlyList<UsdtProbe> probes = UsdtProbe.ReadAll(elf);

        Assert.Equal(["bpfsharp:tick", "bpfsharp:guarded"], probes.Select(p => $"{p.Provider}:{p.Name}"));
        UsdtProbe guarded = probes[1];
        NativeSymbol semaphore = elf.ReadSymbols(ElfSectionType.SymbolTable).Single(s => s.Name == "bpfsharp_guarded_semaphore");
        Assert.Equal(semaphore.Symbol.Value, guarded.SemaphoreAddress);
        Assert.True(elf.TryGetFileOffset(guarded.SemaphoreAddress, out ulong semaphoreOffset, out _));
        Assert.Equal(semaphoreOffset, guarded.SemaphoreOffset);
        Assert.NotEqual(guarded.SemaphoreAddress, guarded.SemaphoreOffset); // .data is mapped at another address than its file offset
        ResolvedFunction function = SymbolResolver.Resolve(elf, "bpfsharp_guarded");
        Assert.InRange(guarded.Address, function.Address, function.Address + function.Size - 1);
        Assert.Equal("-4@%edi", guarded.Arguments);
        Assert.Equal(4, UsdtArgument.ParseAll(probes[0].Arguments, elf.Machine).Count);
    }
}
