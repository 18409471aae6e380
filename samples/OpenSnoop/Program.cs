using BpfSharp.Objects;
using OpenSnoop;
using var bpf = BpfObject.Load<OpenSnoopModule>();
Console.WriteLine(bpf);
