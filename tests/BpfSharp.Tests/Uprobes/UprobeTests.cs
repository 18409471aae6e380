using BpfSharp.Abi;
using BpfSharp.Elf;
using BpfSharp.Links;
using BpfSharp.Links.Uprobes;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Uprobes;

/// <summary>Uprobes and uretprobes on the test program's functions and on shared-library functions, triggered for real by child processes.</summary>
public class UprobeTests
{
    const string Target = "bpfsharp_target";

    [Fact]
    public void CountsExactlyTheCallsOfTheFilteredProcess()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        string exe = binary.PrivateCopy();
        using var counts = ArrayMap<ulong>.Create(1, "up_pid");
        using BpfProgram program = ProbePrograms.Counter(counts);
        using TargetProcess watched = UprobeTestBinary.Start(exe, 7);
        using TargetProcess other = UprobeTestBinary.Start(exe, 11);

        using (BpfLink link = UprobeLink.Attach(program, exe, Target, new UprobeOptions { Pid = watched.Pid }))
        {
            watched.Go();
            other.Go();
            Assert.Equal(7ul, counts[0]);
            Assert.Contains($"pid {watched.Pid}", link.Description);
        }
    }

    [Fact]
    public void EveryProcessWithoutAFilterAndNothingAfterDispose()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        string exe = binary.PrivateCopy();
        using var counts = ArrayMap<ulong>.Create(1, "up_all");
        using BpfProgram program = ProbePrograms.Counter(counts);

        using (BpfLink link = UprobeLink.Attach(program, exe, Target))
        {
            // Started after the attach: every process that maps the file is probed, also new ones.
            using (TargetProcess a = UprobeTestBinary.Start(exe, 4))
            using (TargetProcess b = UprobeTestBinary.Start(exe, 5))
            {
                a.Go();
                b.Go();
            }
            Assert.Equal(9ul, counts[0]);
            Assert.Equal(BpfLinkType.PerfEvent, link.GetInfo().Type);
        }

        using TargetProcess after = UprobeTestBinary.Start(exe, 6);
        after.Go();
        Assert.Equal(9ul, counts[0]);
    }

    [Fact]
    public void AUretprobeSeesTheReturnValues()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var sums = ArrayMap<ulong>.Create(2, "up_ret");
        using BpfProgram program = ProbePrograms.ReturnValueSum(sums);
        using TargetProcess child = binary.Start(10);

        using BpfLink link = UprobeLink.Attach(program, binary.Executable, Target, new UprobeOptions { Pid = child.Pid, Retprobe = true });
        child.Go();

        Assert.Equal(10ul, sums[1]);
        Assert.Equal((ulong)UprobeTestBinary.TargetReturnSum(10), sums[0]); // Σ (i*10 + 7)
        UprobeLinkInfo info = UprobeLinkInfo.Read(link);
        Assert.True(info.Retprobe);
    }

    [Fact]
    public void CookieOffsetAndPathAreWhatTheKernelReports()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var counts = ArrayMap<ulong>.Create(8, "up_cookie");
        using BpfProgram program = ProbePrograms.CookieCounter(counts);
        using TargetProcess child = binary.Start(5);
        ResolvedFunction function;
        using (NativeElfFile elf = NativeElfFile.Open(binary.Executable))
            function = SymbolResolver.Resolve(elf, Target);

        using BpfLink link = UprobeLink.Attach(program, binary.Executable, Target, new UprobeOptions { Pid = child.Pid, Cookie = 3 });
        child.Go();

        Assert.Equal(5ul, counts[3]);
        Assert.Equal(0ul, counts[0]);
        UprobeLinkInfo info = UprobeLinkInfo.Read(link);
        Assert.Equal(BpfLinkType.PerfEvent, info.LinkType);
        Assert.Equal(binary.Executable, info.Path);
        Assert.False(info.Retprobe);
        Assert.Equal([function.FileOffset], info.Offsets);
        Assert.Equal([3ul], info.Cookies);
        Assert.Equal([0ul], info.RefCounterOffsets);
    }

    [Fact]
    public void ByRawFileOffset()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var counts = ArrayMap<ulong>.Create(1, "up_off");
        using BpfProgram program = ProbePrograms.Counter(counts);
        using TargetProcess child = binary.Start(6);
        ulong offset;
        using (NativeElfFile elf = NativeElfFile.Open(binary.Executable))
            offset = SymbolResolver.Resolve(elf, "bpfsharp_second").FileOffset;

        using BpfLink link = UprobeLink.Attach(program, binary.Executable, offset, new UprobeOptions { Pid = child.Pid });
        child.Go();

        Assert.Equal(12ul, counts[0]); // bpfsharp_second runs twice a round
    }

    [Fact]
    public void APinnedLinkKeepsProbingUntilUnpinned()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        string exe = binary.PrivateCopy();
        using var counts = ArrayMap<ulong>.Create(1, "up_pin");
        using BpfProgram program = ProbePrograms.Counter(counts);
        string pin = $"/sys/fs/bpf/{Kernel.UniqueName("uprobe_pin")}";
        try
        {
            using (BpfLink link = UprobeLink.Attach(program, exe, Target))
                link.Pin(pin);
            using (TargetProcess run = UprobeTestBinary.Start(exe, 3)) run.Go();
            Assert.Equal(3ul, counts[0]);

            using (BpfLink pinned = BpfLink.OpenPinned(pin))
            {
                Assert.Equal(exe, UprobeLinkInfo.Read(pinned).Path);
                pinned.Unpin();
            }
            using (TargetProcess run = UprobeTestBinary.Start(exe, 3)) run.Go();
            Assert.Equal(3ul, counts[0]);
        }
        finally
        {
            if (File.Exists(pin)) File.Delete(pin);
        }
    }

    [Fact]
    public void ALibraryByNameFoundThroughTheProcessMaps()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var counts = ArrayMap<ulong>.Create(1, "up_lib");
        using BpfProgram program = ProbePrograms.Counter(counts);
        using TargetProcess child = binary.Start(8);

        // Not in ld.so.cache nor a standard directory: only the child's memory map knows where it is.
        Assert.Equal(binary.Library, BinaryLocator.Resolve(UprobeTestBinary.LibraryName, child.Pid));
        using BpfLink link = UprobeLink.Attach(program, UprobeTestBinary.LibraryName, "bpfsharp_lib_add", new UprobeOptions { Pid = child.Pid });
        child.Go();

        Assert.Equal(8ul, counts[0]);
        Assert.Equal(binary.Library, UprobeLinkInfo.Read(link).Path);
    }

    [Fact]
    public void LibcGetpidByLibraryNameAndVersionedSymbol()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var counts = ArrayMap<ulong>.Create(2, "up_libc");
        using BpfProgram program = ProbePrograms.CookieCounter(counts);
        using TargetProcess child = binary.Start(9);

        string libc = BinaryLocator.Resolve("libc.so.6");
        using BpfLink plain = UprobeLink.Attach(program, "libc.so.6", "getpid", new UprobeOptions { Pid = child.Pid, Cookie = 0 });
        using BpfLink versioned = UprobeLink.Attach(program, libc, "getpid@@GLIBC_2.2.5", new UprobeOptions { Pid = child.Pid, Cookie = 1 });
        child.Go();

        // Each round calls getpid once; both names are the same function.
        Assert.Equal(9ul, counts[0]);
        Assert.Equal(9ul, counts[1]);
        Assert.Equal(UprobeLinkInfo.Read(plain).Offsets, UprobeLinkInfo.Read(versioned).Offsets);
    }

    [Fact]
    public void FromSectionAttachesAsLibbpfWould()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var sums = ArrayMap<ulong>.Create(2, "up_sec");
        using BpfProgram program = ProbePrograms.ReturnValueSum(sums);
        using TargetProcess child = binary.Start(4);

        using BpfLink? link = UprobeLink.FromSection(program, $"uretprobe/{binary.Executable}:{Target}", child.Pid);
        child.Go();

        Assert.NotNull(link);
        Assert.Equal((ulong)UprobeTestBinary.TargetReturnSum(4), sums[0]);
        Assert.Null(UprobeLink.FromSection(program, "uprobe"));
        Assert.Throws<ArgumentException>(() => UprobeLink.FromSection(program, $"uretprobe/{binary.Executable}:{Target}+4"));
        Assert.Throws<ArgumentException>(() => UprobeLink.FromSection(program, "usdt/x:a:b"));
    }

    [Fact]
    public void AMissingSymbolListsNearMatches()
    {
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var elf = NativeElfFile.Open(binary.Executable);

        var e = Assert.Throws<UprobeTargetException>(() => SymbolResolver.Resolve(elf, "bpfsharp_targte"));

        Assert.Contains("bpfsharp_target", e.NearMatches);
        Assert.Contains("'bpfsharp_targte' not found", e.Message);
        Assert.Contains(binary.Executable, e.Message);
        Assert.Contains("did you mean 'bpfsharp_target'", e.Message);
    }

    [Fact]
    public void AnImportedSymbolPointsAtTheLibrary()
    {
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var elf = NativeElfFile.Open(binary.Executable);

        var e = Assert.Throws<UprobeTargetException>(() => SymbolResolver.Resolve(elf, "getpid"));

        Assert.Contains("imported from a shared library", e.Message);
        Assert.Contains("libc.so.6", e.Message);
    }

    [Fact]
    public void AMissingBinaryOrANonElfFileIsAClearError()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(1, "up_err");
        using BpfProgram program = ProbePrograms.Counter(counts);
        string dir = Directory.CreateTempSubdirectory("bpfsharp_uprobe_err_").FullName;
        try
        {
            string missing = Path.Combine(dir, "no_such_binary");
            var gone = Assert.Throws<UprobeTargetException>(() => UprobeLink.Attach(program, missing, "main"));
            Assert.Contains($"no file '{missing}'", gone.Message);

            string script = Path.Combine(dir, "script.sh");
            File.WriteAllText(script, "#!/bin/sh\necho hi\n");
            var notElf = Assert.Throws<UprobeTargetException>(() => UprobeLink.Attach(program, script, "main"));
            Assert.Contains("is not an ELF file", notElf.Message);
            Assert.Contains("23212F62", notElf.Message); // "#!/b"

            var noLib = Assert.Throws<UprobeTargetException>(() => UprobeLink.Attach(program, "libbpfsharp_does_not_exist.so.1", "f"));
            Assert.Contains("ld.so.cache", noLib.Message);

            var pastEnd = Assert.Throws<UprobeTargetException>(() => UprobeLink.Attach(program, script, 1 << 20));
            Assert.Contains("past the end", pastEnd.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AProgramOfAnotherTypeIsRefusedWithTheReason()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using BpfProgram program = BpfProgram.Load(new ProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter,
            Instructions = new BpfSharp.Asm.Assembler().Mov(BpfSharp.Asm.Register.R0, 0).Exit().Build(),
        });

        var e = Assert.Throws<BpfSyscallException>(() => UprobeLink.Attach(program, binary.Executable, Target));

        Assert.Equal(BpfCommand.LinkCreate, e.Command);
        Assert.Contains("uprobes run kprobe programs", e.Message);
    }
}
