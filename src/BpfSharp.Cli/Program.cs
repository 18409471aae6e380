using System.CommandLine;
using BpfSharp.Cli.Commands;

var root = new RootCommand("bpfsharp: inspect, disassemble, dump the BTF of and load eBPF objects")
{
    InspectCommand.Create(),
    BtfCommand.Create(),
    DisasmCommand.Create(),
    LoadCommand.Create(),
};
return root.Parse(args).Invoke();
