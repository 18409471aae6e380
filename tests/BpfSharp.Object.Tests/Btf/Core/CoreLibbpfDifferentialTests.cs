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

    [Theory]
    [InlineData("core_task.bpf.c", "tp_btf/sys_enter", "core_task")]
    public void RelocationsMatchLibbpfs(string fixture, string section, string program)
    {
        CoreTestEnvironment.RequireToolchainAndRoot();
        BtfSpec vmlinux = CoreTestEnvironment.Vmlinux();
        string dir = Directory.CreateTempSubdirectory("bpfsharp-core-").FullName;
        string pinDir = $"/sys/fs/bpf/bpfsharp_core_{Environment.ProcessId}_{Guid.NewGuid():N}";
        try
        {
            string obj = Path.Combine(dir, "prog.o");
            Check(CoreTestEnvironment.Run("clang-19", "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I/usr/include/x86_64-linux-gnu",
                "-c", Path.Combine(FixtureDirectory(), fixture), "-o", obj), "clang-19");
            Check(CoreTestEnvironment.Run("llvm-objcopy-19",
                "--dump-section", $".BTF={dir}/btf", "--dump-section", $".BTF.ext={dir}/btf.ext", "--dump-section", $"{section}={dir}/code", obj, $"{dir}/scratch.o"), "llvm-objcopy-19");

            byte[] btf = File.ReadAllBytes($"{dir}/btf");
            List<CoreRelocationRecord> records = BtfExtCoreRecords.Read(btf, File.ReadAllBytes($"{dir}/btf.ext"))[section];
            var code = InstructionDecoder.Decode(File.ReadAllBytes($"{dir}/code")).ToList();
            Instruction[] original = code.ToArray();
            IReadOnlyList<CoreRelocationOutcome> ours = new CoreRelocator(BtfSpec.Parse(btf), [vmlinux]).Apply(code, records, program);

            (int rc, string log) = CoreTestEnvironment.Run("bpftool", "-d", "prog", "loadall", obj, pinDir);
            Assert.True(rc == 0, $"libbpf did not load the fixture:\n{log}");

            var libbpf = LibbpfRelocationLine().Matches(log)
                .Where(m => m.Groups["prog"].Value == program)
                .GroupBy(m => int.Parse(m.Groups["relo"].Value, CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => g.Select(m => m.Groups["what"].Value.TrimEnd()).ToList());
            Assert.Equal(records.Count, libbpf.Count);

            int poisoned = 0, patched = 0;
            for (int i = 0; i < ours.Count; i++)
            {
                CoreRelocationOutcome outcome = ours[i];
                List<string> lines = libbpf[i];
                string context = $"relo #{i}: ours: {outcome}\nlibbpf:\n  {string.Join("\n  ", lines)}";

                Assert.True(lines[0] == outcome.Result.LocalSpec.ToString(), context);
                if (outcome.Result.TargetSpec is { } target)
                    Assert.True(lines.Contains($"matching candidate #0 {target}"), context);
                else if (outcome.Relocation().Kind != CoreRelocationKind.TypeIdLocal)
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
                foreach (Match m in lines.Select(l => Patched().Match(l)).Where(m => m.Success))
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
            Assert.True(poisoned > 0 && patched > 0, $"the fixture exercises both outcomes ({poisoned} poisoned, {patched} patched)");
        }
        finally
        {
            if (Directory.Exists(pinDir)) Directory.Delete(pinDir, recursive: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    static int SizeInBytes(MemorySize size) => size switch { MemorySize.DoubleWord => 8, MemorySize.Word => 4, MemorySize.Half => 2, _ => 1 };

    static void Check((int ExitCode, string Output) run, string tool) =>
        Assert.True(run.ExitCode == 0, $"{tool} failed:\n{run.Output}");

    static string FixtureDirectory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Fixtures");
}

static class CoreRelocationOutcomeExtensions
{
    public static CoreRelocationRecord Relocation(this CoreRelocationOutcome outcome) => outcome.Result.Relocation;
}
