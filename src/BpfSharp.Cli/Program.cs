using System.CommandLine;
using BpfSharp.Cli.Commands;

var root = new RootCommand("bpfsharp: compile C# eBPF modules; inspect, disassemble, dump the BTF of, load and run eBPF objects; list the kernel's programs, maps and links")
{
    InspectCommand.Create(),
    BtfCommand.Create(),
    DisasmCommand.Create(),
    LoadCommand.Create(),
    CompileCommand.Create(),
    RunCommand.Create(),
    ProgCommand.Create(),
    MapCommand.Create(),
    LinkCommand.Create(),
};
return root.Parse(args).Invoke();
