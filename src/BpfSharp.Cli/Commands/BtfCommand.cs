using System.CommandLine;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp btf dump FILE.o|/sys/kernel/btf/vmlinux [--format raw|c]</c>.</summary>
static class BtfCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "an eBPF object (.o) or a raw BTF file such as /sys/kernel/btf/vmlinux" };
        var format = new Option<string>("--format") { Description = "raw (like bpftool btf dump) or c (C declarations)", DefaultValueFactory = _ => "raw" };
        format.AcceptOnlyFromAmong("raw", "c");
        var type = new Option<string[]>("--type") { Description = "only this type (id or name) and the types it needs; repeatable", AllowMultipleArgumentsPerToken = true };
        var dump = new Command("dump", "print the BTF of an object or a raw BTF file") { file, format, type };
        dump.SetAction(parse => CommandErrors.Run(() =>
            BtfDump.Run(parse.GetValue(file)!.FullName, parse.GetValue(format)!, parse.GetValue(type) ?? [])));
        return new Command("btf", "BTF tools") { dump };
    }
}
