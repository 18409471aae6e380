// An eBPF program written in C# (OpenSnoopModule.cs) that reports every openat(2) through a ring buffer: compiled
// in-process, attached by its section name (tracepoint/syscalls/sys_enter_openat), its events read as C# structs.
//
//   dotnet run --project samples/OpenSnoop [-- SECONDS [PID]]     (as root)
using System.Text;
using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using OpenSnoop;

int seconds = args.Length > 0 && int.TryParse(args[0], out int s) ? s : 5;
uint onlyPid = args.Length > 1 && uint.TryParse(args[1], out uint p) ? p : 0;

using BpfObject bpf = BpfObject.Load<OpenSnoopModule>(o => o.SetGlobal(nameof(OpenSnoopModule.OnlyPid), onlyPid));
Console.WriteLine($"attached: {bpf.AttachAll()}");
using var events = new RingBufferReader(bpf.Map(nameof(OpenSnoopModule.Events)));
var seen = bpf.Global<ulong>(nameof(OpenSnoopModule.Seen));

Console.WriteLine($"{"PID",7}  {"COMM",-16} {"FLAGS",8}  FILE");
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
int printed = 0;
try
{
    await foreach (OpenEvent e in events.ReadAllAsync<OpenEvent>(stop.Token))
    {
        Console.WriteLine($"{e.Pid,7}  {Text(e.Comm),-16} {e.Flags,8:x}  {Text(e.File)}");
        printed++;
    }
}
catch (OperationCanceledException) { }

ulong dropped = bpf.GetGlobal<ulong>(nameof(OpenSnoopModule.Dropped));
Console.WriteLine($"{printed} events printed; the kernel side saw {seen.Value} openat calls and dropped {dropped} (ring full).");

static string Text(ReadOnlySpan<byte> bytes)
{
    int end = bytes.IndexOf((byte)0);
    return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
}
