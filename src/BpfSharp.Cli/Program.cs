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
// `run` answers Ctrl-C/SIGTERM by draining its event readers and printing every map; System.CommandLine's default of
// 2 s before it gives up on the action (exit 143) is too short for that on a busy machine.
return root.Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
