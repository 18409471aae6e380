// The main job: an eBPF program written in C# (SyscallCounterModule.cs), compiled by BpfSharp in-process,
// loaded, attached to the sys_enter raw tracepoint, and watched live: the busiest processes, every second.
//
//   dotnet run --project samples/SyscallCounter [-- SECONDS]     (as root)
using System.Text;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Objects;
using SyscallCounter;

int seconds = args.Length > 0 && int.TryParse(args[0], out int s) ? s : 5;

using BpfObject bpf = BpfObject.Load<SyscallCounterModule>();
using BpfLink link = BpfLink.RawTracepoint(bpf.Program(nameof(SyscallCounterModule.OnSysEnter)), "sys_enter");
var byProcess = bpf.Map<HashMap<uint, ProcessStats>>(nameof(SyscallCounterModule.ByProcess));
Console.WriteLine($"Counting system calls per process for {seconds} s (C# eBPF program attached to raw_tp/sys_enter)...");

ulong previous = 0;
for (int tick = 1; tick <= seconds; tick++)
{
    Thread.Sleep(1000);
    ulong total = bpf.GetGlobal<ulong>(nameof(SyscallCounterModule.Total));
    var top = new List<(uint Pid, ProcessStats Stats)>();
    foreach (var (pid, stats) in byProcess.Entries) top.Add((pid, stats));
    top.Sort((a, b) => b.Stats.Syscalls.CompareTo(a.Stats.Syscalls));

    Console.WriteLine($"--- {tick} s: {total - previous} system calls in the last second, {total} in all, {top.Count} processes");
    foreach (var (pid, stats) in top.Take(5))
        Console.WriteLine($"  {pid,7}  {Name(stats.Comm),-16} {stats.Syscalls,10}");
    previous = total;
}

static string Name(Comm16 comm)
{
    ReadOnlySpan<byte> bytes = comm;
    int end = bytes.IndexOf((byte)0);
    return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
}
