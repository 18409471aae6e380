using System.CommandLine;
using BpfSharp.Cli.Commands;

var root = new RootCommand("bpfsharp: compile C# eBPF modules; inspect, disassemble, dump the BTF of and load eBPF objects")
{
    InspectCommand.Create(),
    BtfCommand.Create(),
    DisasmCommand.Create(),
    LoadCommand.Create(),
    CompileCommand.Create(),
};
return root.Parse(args).Invoke();
