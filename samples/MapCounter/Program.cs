// The main job, for now: create a map, load an XDP program written with BpfSharp's assembler, run it on
// packets with BPF_PROG_TEST_RUN, and show what it did to the map.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Programs;
using static BpfSharp.Asm.Register;

// Packets and bytes per EtherType, counted by the kernel.
using var counts = HashMap<uint, TrafficCount>.Create(maxEntries: 64, name: "by_ethertype");

const int XdpPass = 2;
Instruction[] program = new Assembler()
    .Load(MemorySize.Word, R6, R1, 0)                 // r6 = ctx->data
    .Load(MemorySize.Word, R7, R1, 4)                 // r7 = ctx->data_end
    .Mov(R8, R7).Alu(AluOp.Sub, R8, R6)               // r8 = packet length
    .Mov(R2, R6).Add(R2, 14)
    .JumpIf(JumpOp.Greater, R2, R7, "out")            // shorter than an Ethernet header: pass
    .Load(MemorySize.Half, R1, R6, 12)                // the EtherType, network order
    .ToBigEndian(R1, 16)
    .Store(MemorySize.Word, R10, -4, R1)              // key on the stack
    .LoadMapFd(R1, counts.Map.Fd.RawValue)
    .Mov(R2, R10).Add(R2, -4)
    .Call((int)BpfHelperId.MapLookupElem)
    .JumpIf(JumpOp.Equal, R0, 0, "insert")
    .Mov(R1, 1)
    .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 0, R1)   // packets += 1
    .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 8, R8)   // bytes += length
    .Ja("out")
    .Label("insert")
    .StoreImmediate(MemorySize.DoubleWord, R10, -24, 1)       // { packets = 1, bytes = length }
    .Store(MemorySize.DoubleWord, R10, -16, R8)
    .LoadMapFd(R1, counts.Map.Fd.RawValue)
    .Mov(R2, R10).Add(R2, -4)
    .Mov(R3, R10).Add(R3, -24)
    .Mov(R4, 0)                                       // BPF_ANY
    .Call((int)BpfHelperId.MapUpdateElem)
    .Label("out")
    .Mov(R0, XdpPass)
    .Exit()
    .Build();

Console.WriteLine("The program, as the verifier prints it:");
Console.WriteLine(Disassembler.FormatProgram(program, new DisassemblyOptions { HelperName = BpfHelperNames.Get }));

using var xdp = BpfProgram.Load(new ProgramLoadOptions
{
    Type = BpfProgramType.Xdp,
    Name = "count_ethertype",
    Instructions = program,
    License = "GPL",
});
ProgramInfo info = xdp.GetInfo();
Console.WriteLine($"\nLoaded {info.Name}: id {info.Id}, tag {info.Tag}, {info.XlatedLength / 8} instructions after verification, JIT {info.JitedLength} bytes.");

// Frames: 3 IPv4, 2 IPv6, 1 ARP, each with its own size.
(ushort EtherType, int Length)[] frames = [(0x0800, 60), (0x0800, 1514), (0x86DD, 90), (0x0806, 42), (0x0800, 128), (0x86DD, 1280)];
foreach (var (etherType, length) in frames)
{
    byte[] frame = new byte[length];
    BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
    uint verdict = xdp.TestRun(frame);
    Console.WriteLine($"  ran on a {length}-byte frame of EtherType 0x{etherType:X4}: returned {verdict} (XDP_PASS)");
}

Console.WriteLine("\nThe map afterwards:");
Console.WriteLine("  EtherType   packets     bytes");
foreach (var (etherType, count) in counts.Entries)
    Console.WriteLine($"  0x{etherType:X4}   {count.Packets,9} {count.Bytes,9}");

[StructLayout(LayoutKind.Sequential)]
readonly record struct TrafficCount(ulong Packets, ulong Bytes);
