using System.CommandLine;
using BpfSharp.Maps;
using BpfSharp.Objects;
using BpfSharp.Programs;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp run FILE.o [--attach-all] [--duration S]</c>: load an object, print its maps and programs, attach its
/// programs (with <c>--attach-all</c>), print event-map records while it runs, and when the duration has passed or on
/// Ctrl-C (SIGINT/SIGTERM) print every map's contents through BTF, then unload.
/// </summary>
static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "an eBPF ELF object (.o)" };
        var attachAll = new Option<bool>("--attach-all") { Description = "attach every program according to its section name" };
        var duration = new Option<double?>("--duration") { Description = "seconds to run before printing the maps and exiting (default: until Ctrl-C)" };
        duration.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is <= 0 or double.NaN or double.PositiveInfinity)
                result.AddError("--duration must be a positive number of seconds.");
        });
        var command = new Command("run", "load an object, attach its programs, print its events, and print its maps on exit") { file, attachAll, duration };
        command.SetAction(async (parse, cancel) =>
        {
            try
            {
                return await Run(parse.GetValue(file)!.FullName, parse.GetValue(attachAll), parse.GetValue(duration), cancel);
            }
            catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException or KeyNotFoundException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    static async Task<int> Run(string path, bool attachAll, double? seconds, CancellationToken cancel)
    {
        TextWriter o = Console.Out;
        using BpfObject obj = BpfObject.Load(path);
        o.WriteLine($"object {obj.Name}: {obj.Maps.Count} maps, {obj.Programs.Count} programs");
        foreach (var (name, map) in obj.Maps.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            MapInfo info = map.GetInfo();
            o.WriteLine($"map {name}: id {info.Id}, {info.Type}, key {info.KeySize} B, value {info.ValueSize} B, max_entries {info.MaxEntries}");
        }
        foreach (var (name, program) in obj.Programs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            ProgramInfo info = program.GetInfo();
            string section = obj.Spec.FindProgram(name)?.SectionName ?? "?";
            o.WriteLine($"program {name}: id {info.Id}, {info.Type}, section '{section}'");
        }

        if (attachAll) RunSteps.AttachAll(obj, o);
        else o.WriteLine("programs are loaded, not attached (--attach-all attaches them by section name)");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task events = RunSteps.PrintEvents(obj, o, stop.Token);
        o.WriteLine(seconds is { } s ? $"running for {s:0.###} s (Ctrl-C stops earlier)" : "running until Ctrl-C");
        try
        {
            await Task.Delay(seconds is { } d ? TimeSpan.FromSeconds(d) : Timeout.InfiniteTimeSpan, cancel);
        }
        catch (OperationCanceledException)
        {
            o.WriteLine("stopped");
        }
        await stop.CancelAsync();
        await events;

        o.WriteLine();
        o.WriteLine("maps at exit:");
        var btfs = new KernelBtfById();
        foreach (var (name, map) in obj.Maps.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            o.WriteLine($"map {name}:");
            MapDump.WriteText(o, map, map.GetInfo(), btfs);
        }
        return 0;
    }
}
