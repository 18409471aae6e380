using System.CommandLine;
using System.Text.Json;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp inspect FILE.o [--json]</c>: sections, programs, maps, globals and relocations of an object, without a kernel.</summary>
static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "an eBPF ELF object (.o)" };
        var json = new Option<bool>("--json") { Description = "print JSON instead of text" };
        var command = new Command("inspect", "show an object's sections, programs, maps, globals and relocations") { file, json };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            ObjectSpec spec = ObjectReader.ReadFile(parse.GetValue(file)!.FullName);
            ObjectReport report = ObjectReport.From(spec);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(report, ReportJson.Default.ObjectReport));
            else
                report.WriteText(Console.Out);
            return 0;
        }));
        return command;
    }
}
