using System.CommandLine;
using System.Text.Json;
using BpfSharp.Programs;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp prog list [--json]</c>: every program loaded in the kernel, like <c>bpftool prog list</c>.</summary>
static class ProgCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print JSON instead of text" };
        var list = new Command("list", "list every BPF program in the kernel: id, type, name, tag, load time, sizes, map ids, BTF id") { json };
        list.SetAction(parse => CommandErrors.Run(() =>
        {
            var programs = new List<ProgramListing>();
            foreach (BpfProgram program in KernelObjects.Programs())
                using (program)
                    programs.Add(ProgramListing.From(program.GetInfo()));
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(programs, ListingJson.Default.ListProgramListing));
            else
                foreach (ProgramListing p in programs) p.WriteText(Console.Out);
            return 0;
        }));
        return new Command("prog", "the kernel's BPF programs") { list };
    }
}
