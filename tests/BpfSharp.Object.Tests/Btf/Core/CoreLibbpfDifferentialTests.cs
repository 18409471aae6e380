using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Btf.Core;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>
/// Compiles a CO-RE program with clang-19, relocates it with <see cref="CoreRelocator"/> against the running kernel,
/// lets libbpf relocate the same object (<c>bpftool -d prog loadall</c>, whose debug log narrates every relocation)
/// and compares, relocation by relocation: the local and target specs as printed, the value patched into each
/// instruction, load/store size changes, and which instructions were poisoned.
/// </summary>
public partial class CoreLibbpfDifferentialTests
{
    [GeneratedRegex(@"prog '(?<prog>[^']+)': relo #(?<relo>\d+): (?<what>.*)$", RegexOptions.Multiline)]
    private static partial Regex LibbpfRelocationLine();

    [GeneratedRegex(@"^patched insn #(?<insn>\d+) \((?<form>ALU/ALU64|LDX/ST/STX|LDIMM64)\) (?<field>imm64|imm|off|mem_sz) (?<from>\d+) -> (?<to>\d+)$")]
    private static partial Regex Patched();

    public static TheoryData<string, string[]> Fixtures() => new()
    {
        { "core_task.bpf.c", ["tp_btf/sys_enter=core_task"] },
        { "core_flavors.bpf.c", ["tp_btf/sys_exit=core_flavors", ".text=from_subprogram"] },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void RelocationsMatchLibbpfs(string fixture, string[] programs)
    {
        using var build = FixtureBuild.Compile(fixture);
        (int rc, string log) = build.LoadWithLibbpf();
        Assert.True(rc == 0, $"libbpf did not load the fixture:\n{log}");

        int poisoned = 0, patched = 0;
        foreach (string entry in programs)
        {
            string section = entry[..entry.IndexOf('=')], program = entry[(entry.IndexOf('=') + 1)..];
            var code = build.Code(section);
            Instruction[] original = code.ToArray();
            List<CoreRelocationRecord> records = build.Records[section];
            IReadOnlyList<CoreRelocationOutcome> ours = new CoreRelocator(build.Btf, [CoreTestEnvironment.Vmlinux()]).Apply(code, records, program);
            Dictionary<int, List<string>> libbpf = LibbpfLines(log, program);
            Assert.Equal(records.Count, libbpf.Count);

            for (int i = 0; i < ours.Count; i++)
            {
                CoreRelocationOutcome outcome = ours[i];
                List<string> lines = libbpf[i];
                string context = $"{section} relo #{i}: ours: {outcome}\nlibbpf:\n  {string.Join("\n  ", lines)}";

                Assert.True(lines[0] == outcome.Result.LocalSpec.ToString(), context);
                if (outcome.Result.TargetSpec is { } target)
                    Assert.True(lines.Any(l => Regex.IsMatch(l, @"^matching candidate #\d+ ") && l.EndsWith($" {target}", StringComparison.Ordinal)), context);
                else if (outcome.Result.Relocation.Kind != CoreRelocationKind.TypeIdLocal)
                    Assert.True(lines.Contains("no matching targets found"), context);

                Instruction insn = code[outcome.InstructionIndex];
                if (lines.Any(l => l.StartsWith("substituting insn #", StringComparison.Ordinal)))
                {
                    Assert.True(outcome.Action == CoreRelocationAction.Poisoned, context);
                    Assert.Contains($"substituting insn #{outcome.Slot} w/ invalid insn", lines);
                    Assert.True(CorePoison.IsPoison(insn), context);
                    if (original[InstructionList.SlotToIndex(original, outcome.Slot)].IsLoadImm64)
                        Assert.True(CorePoison.IsPoison(code[outcome.InstructionIndex + 1]), context);
                    poisoned++;
                    continue;
                }

                Assert.True(outcome.Action == CoreRelocationAction.Patched, context);
                List<Match> patches = lines.Select(l => Patched().Match(l)).Where(m => m.Success).ToList();
                Assert.True(patches.Count > 0, context);
                foreach (Match m in patches)
                {
                    Assert.Equal(outcome.Slot, int.Parse(m.Groups["insn"].Value, CultureInfo.InvariantCulture));
                    ulong to = ulong.Parse(m.Groups["to"].Value, CultureInfo.InvariantCulture);
                    switch (m.Groups["field"].Value)
                    {
                        case "imm": Assert.True(insn.Immediate == unchecked((int)to), context); break;
                        case "off": Assert.True((ulong)(long)insn.Offset == to, context); break;
                        case "imm64": Assert.True(unchecked((ulong)insn.Constant) == to, context); break;
                        case "mem_sz": Assert.True(SizeInBytes(insn.OpCode.Size) == (int)to, context); break;
                    }
                    patched++;
                }
            }
        }
        Assert.True(poisoned > 0 && patched > 0, $"the fixture exercises both outcomes ({poisoned} poisoned, {patched} patched)");
    }

    [Theory]
    [InlineData("core_ambiguous.bpf.c", "tp_btf/sys_exit", "core_ambiguous")]
    public void ObjectsLibbpfRefusesAreRefusedForTheSameReason(string fixture, string section, string program)
    {
        using var build = FixtureBuild.Compile(fixture);
        (int rc, string log) = build.LoadWithLibbpf();
        Assert.True(rc != 0, "libbpf loaded an object this test expects it to refuse");
        Match refusal = Regex.Match(log, $@"prog '{program}': relo #(?<relo>\d+): (?<why>.*)\n(libbpf: )?prog '{program}': relo #\d+: failed to relocate");
        Assert.True(refusal.Success, log);

        var e = Assert.Throws<CoreRelocationException>(() =>
            new CoreRelocator(build.Btf, [CoreTestEnvironment.Vmlinux()]).Apply(build.Code(section), build.Records[section], program));
        Assert.Equal(int.Parse(refusal.Groups["relo"].Value, CultureInfo.InvariantCulture), e.RelocationIndex);
        Assert.Contains(refusal.Groups["why"].Value.Trim(), e.Message);
    }

    static Dictionary<int, List<string>> LibbpfLines(string log, string program) =>
        LibbpfRelocationLine().Matches(log)
            .Where(m => m.Groups["prog"].Value == program)
            .GroupBy(m => int.Parse(m.Groups["relo"].Value, CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Select(m => m.Groups["what"].Value.TrimEnd()).ToList());

    static int SizeInBytes(MemorySize size) => size switch { MemorySize.DoubleWord => 8, MemorySize.Word => 4, MemorySize.Half => 2, _ => 1 };

}

/// <summary>A fixture compiled by clang-19, with its BTF, CO-RE records and section code extracted by llvm-objcopy-19.</summary>
sealed class FixtureBuild : IDisposable
{
    readonly string dir;
    readonly string obj;

    FixtureBuild(string dir, string obj, BtfSpec btf, Dictionary<string, List<CoreRelocationRecord>> records)
    {
        this.dir = dir;
        this.obj = obj;
        Btf = btf;
        Records = records;
    }

    public BtfSpec Btf { get; }
    public Dictionary<string, List<CoreRelocationRecord>> Records { get; }

    public static FixtureBuild Compile(string fixture)
    {
        CoreTestEnvironment.RequireToolchainAndRoot();
        string dir = Directory.CreateTempSubdirectory("bpfsharp-core-").FullName;
        string obj = Path.Combine(dir, "prog.o");
        Check(CoreTestEnvironment.Run("clang-19", "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I/usr/include/x86_64-linux-gnu",
            "-c", Path.Combine(FixtureDirectory(), fixture), "-o", obj), "clang-19");
        Check(CoreTestEnvironment.Run("llvm-objcopy-19", "--dump-section", $".BTF={dir}/btf", "--dump-section", $".BTF.ext={dir}/btf.ext", obj, $"{dir}/scratch.o"), "llvm-objcopy-19");
        byte[] btf = File.ReadAllBytes($"{dir}/btf");
        return new FixtureBuild(dir, obj, BtfSpec.Parse(btf), BtfExtCoreRecords.Read(btf, File.ReadAllBytes($"{dir}/btf.ext")));
    }

    /// <summary>The instructions of one section, as they are in the object (ELF relocations not applied).</summary>
    public List<Instruction> Code(string section)
    {
        string path = Path.Combine(dir, "code-" + Guid.NewGuid().ToString("N"));
        Check(CoreTestEnvironment.Run("llvm-objcopy-19", "--dump-section", $"{section}={path}", obj, path + ".o"), "llvm-objcopy-19");
        return InstructionDecoder.Decode(File.ReadAllBytes(path)).ToList();
    }

    /// <summary>libbpf's open and load of the whole object, with its debug log.</summary>
    public (int ExitCode, string Log) LoadWithLibbpf()
    {
        string pinDir = $"/sys/fs/bpf/bpfsharp_core_{Environment.ProcessId}_{Guid.NewGuid():N}";
        try
        {
            return CoreTestEnvironment.Run("bpftool", "-d", "prog", "loadall", obj, pinDir);
        }
        finally
        {
            if (Directory.Exists(pinDir)) Directory.Delete(pinDir, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static void Check((int ExitCode, string Output) run, string tool) =>
        Assert.True(run.ExitCode == 0, $"{tool} failed:\n{run.Output}");

    /// <summary>Next to this file; when the build mapped source paths away, found by walking up from the test binary.</summary>
    static string FixtureDirectory([CallerFilePath] string path = "")
    {
        string beside = Path.Combine(Path.GetDirectoryName(path) ?? "", "Fixtures");
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "BpfSharp.Object.Tests", "Btf", "Core", "Fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"CO-RE fixtures not found beside {path} nor above {AppContext.BaseDirectory}");
    }
}
