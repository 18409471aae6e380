using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Links.Uprobes;
using Xunit;

namespace BpfSharp.Tests.Uprobes;

/// <summary>Section names, USDT argument specs, libbpf's spec layout, globs, symbol versions and malformed files: no kernel needed.</summary>
public class UprobeParsingTests
{
    const ushort X86_64 = 62, Arm64 = 183;

    [Theory]
    [InlineData("uprobe//usr/bin/app:main", UprobeSectionKind.Uprobe, false, "/usr/bin/app", "main", 0ul)]
    [InlineData("uprobe/libc.so.6:malloc+0x10", UprobeSectionKind.Uprobe, false, "libc.so.6", "malloc", 16ul)]
    [InlineData("uprobe.s//bin/x:f+8", UprobeSectionKind.Uprobe, true, "/bin/x", "f", 8ul)]
    [InlineData("uprobe//bin/x:0x1234", UprobeSectionKind.Uprobe, false, "/bin/x", null, 0x1234ul)]
    [InlineData("uprobe//bin/x:malloc@@GLIBC_2.2.5", UprobeSectionKind.Uprobe, false, "/bin/x", "malloc@@GLIBC_2.2.5", 0ul)]
    [InlineData("uretprobe//bin/x:f", UprobeSectionKind.Uretprobe, false, "/bin/x", "f", 0ul)]
    [InlineData("uprobe.multi//bin/x:f_*", UprobeSectionKind.UprobeMulti, false, "/bin/x", "f_*", 0ul)]
    [InlineData("uretprobe.multi.s/libc.so.6:str?en", UprobeSectionKind.UretprobeMulti, true, "libc.so.6", "str?en", 0ul)]
    public void UprobeSectionsTakenApart(string section, UprobeSectionKind kind, bool sleepable, string binary, string? function, ulong offset)
    {
        UprobeSection parsed = UprobeSection.Parse(section)!;
        Assert.Equal((kind, sleepable, binary, function, offset), (parsed.Kind, parsed.Sleepable, parsed.Binary, parsed.Function, parsed.Offset));
    }

    [Fact]
    public void UsdtSectionsAndBarePrefixes()
    {
        UprobeSection usdt = UprobeSection.Parse("usdt//usr/lib/libc.so.6:libc:setjmp")!;
        Assert.Equal(("/usr/lib/libc.so.6", "libc", "setjmp"), (usdt.Binary, usdt.Provider, usdt.Name));
        Assert.Null(UprobeSection.Parse("usdt")!.Binary);
        Assert.Null(UprobeSection.Parse("uprobe.multi")!.Binary);
        Assert.Null(UprobeSection.Parse("kprobe/do_sys_open"));
        Assert.Null(UprobeSection.Parse("uprobes/x:y"));
    }

    [Theory]
    [InlineData("uprobe//bin/x")]
    [InlineData("uprobe//bin/x:")]
    [InlineData("usdt//bin/x:provider")]
    [InlineData("usdt//bin/x:a:b:c")]
    [InlineData("uretprobe//bin/x:f+0x8")]
    public void MalformedSectionsSayTheExpectedForm(string section)
    {
        var e = Assert.Throws<ArgumentException>(() => UprobeSection.Parse(section));
        Assert.Contains(section, e.Message);
    }

    [Fact]
    public void LibbpfsTwelveArgumentExample()
    {
        // The example from libbpf's usdt.c: memory, registers of every width, constants.
        IReadOnlyList<UsdtArgument> args = UsdtArgument.ParseAll(
            "-4@-1204(%rbp) -4@%edi -8@-1216(%rbp) -8@%r8 -4@$5 -8@%r9 8@%rdx 8@%r10 -4@$-9 -2@%cx -2@%ax -1@%sil", X86_64);

        Assert.Equal(12, args.Count);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.RegisterDeref, 4, true, -1204, "rbp", 32), args[0]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Register, 4, true, 0, "edi", 112), args[1]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Register, 8, true, 0, "r8", 72), args[3]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Constant, 4, true, 5, null, 0), args[4]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Register, 8, false, 0, "rdx", 96), args[6]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Constant, 4, true, -9, null, 0), args[8]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Register, 2, true, 0, "cx", 88), args[9]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Register, 1, true, 0, "sil", 104), args[11]);
    }

    [Fact]
    public void ScaledIndexAndPlainDereference()
    {
        IReadOnlyList<UsdtArgument> args = UsdtArgument.ParseAll("1@-96(%rbp,%rax,8) 8@(%rsp) 2@(%rbx,%rcx)", X86_64);

        Assert.Equal(new UsdtArgument(UsdtArgumentKind.ScaledIndex, 1, false, -96, "rbp", 32, "rax", 80, 3), args[0]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.RegisterDeref, 8, false, 0, "rsp", 152), args[1]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.ScaledIndex, 2, false, 0, "rbx", 40, "rcx", 88, 0), args[2]);
    }

    [Fact]
    public void Arm64Arguments()
    {
        IReadOnlyList<UsdtArgument> args = UsdtArgument.ParseAll("-4@[sp, 96] -8@x4 4@5 8@[x29] -4@w1", Arm64);

        Assert.Equal(new UsdtArgument(UsdtArgumentKind.RegisterDeref, 4, true, 96, "sp", 248), args[0]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Register, 8, true, 0, "x4", 32), args[1]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.Constant, 4, false, 5, null, 0), args[2]);
        Assert.Equal(new UsdtArgument(UsdtArgumentKind.RegisterDeref, 8, false, 0, "x29", 232), args[3]);
        Assert.Equal(8, args[4].RegisterOffset);
    }

    [Theory]
    [InlineData("-4@%ah", "cannot be read")]
    [InlineData("3@%eax", "size 3")]
    [InlineData("4%eax", "SIZE@LOCATION")]
    [InlineData("-4@counter(%rip)", "cannot be read")]
    [InlineData("1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1 1@$1", "at most 12")]
    public void ArgumentsThatCannotBeReadSayWhy(string spec, string why)
    {
        var e = Assert.Throws<UprobeTargetException>(() => UsdtArgument.ParseAll(spec, X86_64));
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void AScaledIndexArgumentIsRefusedBecauseLibbpfsSpecCannotHoldIt()
    {
        IReadOnlyList<UsdtArgument> args = UsdtArgument.ParseAll("8@%rdx 1@16(%rbx,%rcx,4)", X86_64);
        var e = Assert.Throws<UprobeTargetException>(() => UsdtSpec.Encode(args, 0));
        Assert.Contains("argument 2 is a scaled-index", e.Message);
    }

    [Fact]
    public void SpecBytesFollowLibbpfsLayout()
    {
        IReadOnlyList<UsdtArgument> args = UsdtArgument.ParseAll("-4@-20(%rbp) 8@%rdx -2@$-7", X86_64);

        byte[] v = UsdtSpec.Encode(args, 0xfeedface);

        Assert.Equal(208, v.Length);
        // arg 0: val_off -20, REG_DEREF, reg_off rbp 32, signed, shift 32
        Assert.Equal(-20, BinaryPrimitives.ReadInt64LittleEndian(v));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(v.AsSpan(8)));
        Assert.Equal(32, BinaryPrimitives.ReadInt16LittleEndian(v.AsSpan(12)));
        Assert.Equal((1, 32), (v[14], v[15]));
        // arg 1: REG rdx 96, unsigned, no shift
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(v.AsSpan(16 + 8)));
        Assert.Equal(96, BinaryPrimitives.ReadInt16LittleEndian(v.AsSpan(16 + 12)));
        Assert.Equal((0, 0), (v[16 + 14], v[16 + 15]));
        // arg 2: CONST -7, signed 16-bit
        Assert.Equal(-7, BinaryPrimitives.ReadInt64LittleEndian(v.AsSpan(32)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(v.AsSpan(32 + 8)));
        Assert.Equal((1, 48), (v[32 + 14], v[32 + 15]));
        // usdt_cookie, arg_cnt
        Assert.Equal(0xfeedfaceul, BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(192)));
        Assert.Equal(3, BinaryPrimitives.ReadInt16LittleEndian(v.AsSpan(200)));
    }

    [Theory]
    [InlineData("bpfsharp_target", "bpfsharp_*", true)]
    [InlineData("bpfsharp_target", "*target", true)]
    [InlineData("bpfsharp_target", "bpfsharp_t?rget", true)]
    [InlineData("bpfsharp_target", "*_*_*", false)]
    [InlineData("a", "*", true)]
    [InlineData("abc", "a*c*", true)]
    [InlineData("abc", "ab", false)]
    [InlineData("", "*", true)]
    public void GlobsLikeLibbpf(string name, string pattern, bool matches) => Assert.Equal(matches, SymbolResolver.GlobMatch(name, pattern));

    [Theory]
    [InlineData("config:0", 0, 1)]
    [InlineData("config:32-63", 32, 32)]
    public void PmuFormatFields(string text, int shift, int bits) => Assert.Equal((shift, bits), UprobePmu.ParseFormat(text));

    [Fact]
    public void TheKernelsUprobePmuAsSysfsDescribesIt()
    {
        if (!Directory.Exists("/sys/bus/event_source/devices/uprobe")) Assert.Skip("no uprobe PMU on this machine");
        UprobePmu pmu = UprobePmu.Current;
        Assert.True(pmu.SupportsRefCounter);
        Assert.Equal((0, 32, 32), (pmu.RetprobeBit, pmu.RefCounterShift, pmu.RefCounterBits));
    }

    [Fact]
    public void VersionedLibcSymbols()
    {
        string libc = BinaryLocator.Resolve("libc.so.6");
        using NativeElfFile elf = NativeElfFile.Open(libc);
        NativeSymbol[] realpaths = elf.ReadSymbols(ElfSectionType.DynamicSymbols).Where(s => s.Name == "realpath" && s.IsDefined).ToArray();
        if (realpaths.Length < 2) Assert.Skip($"{libc} has one realpath; the versioned-symbol case needs glibc's two");

        NativeSymbol current = realpaths.Single(s => s.IsDefaultVersion);
        NativeSymbol old = realpaths.First(s => !s.IsDefaultVersion);
        Assert.NotEqual(current.Symbol.Value, old.Symbol.Value);

        // A plain name binds to the default version, as the dynamic linker would; a version picks that one.
        Assert.Equal(current.Symbol.Value, SymbolResolver.Resolve(elf, "realpath").Address);
        Assert.Equal($"realpath@@{current.Version}", SymbolResolver.Resolve(elf, "realpath").Name);
        Assert.Equal(old.Symbol.Value, SymbolResolver.Resolve(elf, $"realpath@{old.Version}").Address);
        Assert.Equal(current.Symbol.Value, SymbolResolver.Resolve(elf, $"realpath@@{current.Version}").Address);
        Assert.Throws<UprobeTargetException>(() => SymbolResolver.Resolve(elf, $"realpath@@{old.Version}"));

        var e = Assert.Throws<UprobeTargetException>(() => SymbolResolver.Resolve(elf, "realpath@GLIBC_9.99"));
        Assert.Contains("exists only as", e.Message);
    }

    [Fact]
    public void LibcFromTheLdCache()
    {
        if (!File.Exists("/etc/ld.so.cache")) Assert.Skip("no /etc/ld.so.cache");
        string? cached = BinaryLocator.FindInLdCache("libc.so.6");

        Assert.NotNull(cached);
        using NativeElfFile elf = NativeElfFile.Open(cached);
        Assert.Equal(BinaryLocator.ThisMachine, elf.Machine); // not the 32-bit copy the cache also lists
        Assert.Equal(cached, BinaryLocator.Resolve("libc.so.6"));
        Assert.Null(BinaryLocator.FindInLdCache("libbpfsharp_not_there.so.3"));
    }

    [Fact]
    public void ProgramsOnPath()
    {
        string sh = BinaryLocator.Resolve("sh");
        Assert.True(Path.IsPathRooted(sh) && File.Exists(sh));
        var e = Assert.Throws<UprobeTargetException>(() => BinaryLocator.Resolve("bpfsharp_no_such_program"));
        Assert.Contains("not found on PATH", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { }, "not an ELF file")]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1 }, "32-bit")]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 2, 1 }, "big-endian")]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 }, "truncated")]
    public void MalformedFilesAreFormatErrors(byte[] bytes, string message)
    {
        var e = Assert.Throws<ElfFormatException>(() => NativeElfFile.Parse(bytes, "x"));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ARelocatableObjectIsNotABinary()
    {
        byte[] header = new byte[64];
        "\x7f"u8.CopyTo(header);
        "ELF"u8.CopyTo(header.AsSpan(1));
        header[4] = 2; header[5] = 1; header[6] = 1;
        header[16] = 1; // ET_REL
        var e = Assert.Throws<ElfFormatException>(() => NativeElfFile.Parse(header, "prog.o"));
        Assert.Contains("ET_REL", e.Message);
    }

    [Fact]
    public void CorruptHeadersNeverThrowAnythingElse()
    {
        UprobeTestBinary binary = UprobeTestBinary.Get();
        byte[] good = File.ReadAllBytes(binary.Executable);
        var random = new Random(5);
        for (int round = 0; round < 300; round++)
        {
            byte[] bad = (byte[])good.Clone();
            // Scramble header fields, program and section headers.
            for (int k = 0; k < 8; k++)
            {
                int at = random.Next(round % 2 == 0 ? 64 : bad.Length);
                bad[at] = (byte)random.Next(256);
            }
            if (round % 10 == 0) bad = bad[..random.Next(bad.Length)];
            try
            {
                using NativeElfFile elf = NativeElfFile.Parse(bad, "fuzz");
                _ = elf.ReadSymbols(ElfSectionType.SymbolTable);
                _ = elf.ReadSymbols(ElfSectionType.DynamicSymbols);
                _ = UsdtProbe.ReadAll(elf);
            }
            catch (BpfException)
            {
            }
        }
    }
}
