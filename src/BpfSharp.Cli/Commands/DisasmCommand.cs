using System.CommandLine;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp disasm FILE.o [--program NAME]</c>: each program's instructions, with C source lines interleaved from line_info.</summary>
static class DisasmCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "an eBPF ELF object (.o)" };
        var program = new Option<string?>("--program") { Description = "only this program (function name)" };
        var command = new Command("disasm", "disassemble an object's programs, with source lines when line_info exists") { file, program };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            ObjectSpec spec = ObjectReader.ReadFile(parse.GetValue(file)!.FullName);
            string? only = parse.GetValue(program);
            var selected = spec.Programs.Where(p => only is null || p.Name == only).ToList();
            if (selected.Count == 0)
                throw new KeyNotFoundException($"object '{spec.Name}' has no program '{only}'; its programs: {string.Join(", ", spec.Programs.Select(p => p.Name))}.");
            foreach (ProgramDefinition p in selected)
            {
                Write(Console.Out, p);
                Console.WriteLine();
            }
            return 0;
        }));
        return command;
    }

    static readonly DisassemblyOptions Options = new() { HelperName = id => BpfHelperNames.Get(id) };

    /// <summary>Instructions in the verifier log's syntax; before each slot where line_info starts a new line, "; source [file:line]".</summary>
    public static void Write(TextWriter o, ProgramDefinition program)
    {
        o.WriteLine($"{program.Name} (section '{program.SectionName}', {program.Type}):");
        var lines = program.LineInfo.ToDictionary(l => l.Slot, l => l);
        var functions = program.Functions.ToDictionary(f => f.Value, f => f.Key);
        int slot = 0;
        (string File, int Line) shown = ("", 0);
        for (int i = 0; i < program.Instructions.Count; i++)
        {
            Instruction insn = program.Instructions[i];
            if (i > 0 && functions.TryGetValue(i, out string? function)) o.WriteLine($"{function}:");
            // clang starts a record at most slots of a statement: print the source line once for each run of the same line.
            if (lines.TryGetValue(slot, out LineInfoRecord line) && (line.FileName, line.Line) != shown)
            {
                shown = (line.FileName, line.Line);
                o.WriteLine($"; {line.LineText.Trim()} [{Path.GetFileName(line.FileName)}:{line.Line}]");
            }
            string reference = insn.Reference is { } r && !insn.IsBpfCall && !insn.IsJump ? $"  ; {r}" : "";
            o.WriteLine($"{slot,5}: {Disassembler.Format(insn, Options)}{reference}");
            slot += insn.Width;
        }
    }
}
