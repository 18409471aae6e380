using System.Buffers.Binary;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Network;

/// <summary>
/// The test programs, in assembler. Packets are parsed at fixed offsets (Ethernet, IPv4 without options, UDP),
/// which is what the tests send.
/// </summary>
static class NetPrograms
{
    /// <summary>Index of the drop counter in a <see cref="CounterMap"/>; indexes 0–255 count IPv4 packets per protocol.</summary>
    public const uint Dropped = 256;

    /// <summary>Size of the map <see cref="TcxSequence"/> counts in: marks of up to three digits.</summary>
    public const int MarkSlots = 4096;

    public const int XdpDrop = 1, XdpPass = 2;
    public const int TcActOk = 0, TcActShot = 2, TcActUnspec = -1;
    public const int TcxNext = -1, TcxPass = 0, TcxDrop = 2;

    public static ArrayMap<ulong> CounterMap(string name) => ArrayMap<ulong>.Create(257, name);

    /// <summary>
    /// XDP: counts every IPv4 packet by protocol; drops UDP to <paramref name="dropPort"/> (0: none) and counts the drop.
    /// </summary>
    public static BpfProgram XdpCounter(ArrayMap<ulong> counts, int dropPort) =>
        Load(BpfProgramType.Xdp, "xdp_count", Counter(counts, dataOffset: 0, dataEndOffset: 4, dropPort, XdpPass, XdpDrop));

    /// <summary>sched_cls (tcx or cls_bpf direct-action): counts like <see cref="XdpCounter"/>, returning the given verdicts.</summary>
    public static BpfProgram TcCounter(ArrayMap<ulong> counts, int dropPort, int passVerdict, int dropVerdict, string name = "tc_count") =>
        Load(BpfProgramType.SchedCls, name, Counter(counts, dataOffset: 76, dataEndOffset: 80, dropPort, passVerdict, dropVerdict));

    /// <summary>
    /// sched_cls for ordering: for UDP to <paramref name="port"/> it appends <paramref name="digit"/> to skb->mark
    /// (mark = mark·16 + digit) and counts the new mark, so after programs A=1 then B=2 have run the map holds
    /// counts at 0x1 and 0x12. Returns TCX_NEXT so the chain goes on.
    /// </summary>
    public static BpfProgram TcxSequence(ArrayMap<ulong> marks, int port, int digit) => Load(BpfProgramType.SchedCls, $"tcx_seq{digit}", new Assembler()
        .Mov(R6, R1)
        .UdpToPort(dataOffset: 76, dataEndOffset: 80, port, "out")
        .Load(MemorySize.Word, R2, R6, 8)            // skb->mark
        .Alu(AluOp.Lsh, R2, 4)
        .Add(R2, digit)
        .Store(MemorySize.Word, R6, 8, R2)
        .Alu(AluOp.And, R2, MarkSlots - 1)
        .Store(MemorySize.Word, R10, -4, R2)
        .Increment(marks, "counted")
        .Label("out")
        .Mov(R0, TcxNext)
        .Exit()
        .Build());

    /// <summary>Socket filter returning a constant: 0 drops, n keeps the first n bytes (from the UDP header on a UDP socket).</summary>
    public static BpfProgram SocketFilterReturning(int verdict) => Load(BpfProgramType.SocketFilter, "sf_const", new Assembler()
        .Mov(R0, verdict)
        .Exit()
        .Build());

    /// <summary>Socket filter: drops packets of exactly <paramref name="length"/> bytes (skb->len), keeps the rest whole.</summary>
    public static BpfProgram SocketFilterDroppingLength(int length) => Load(BpfProgramType.SocketFilter, "sf_len", new Assembler()
        .Load(MemorySize.Word, R0, R1, 0)
        .JumpIf(JumpOp.NotEqual, R0, length, "keep")
        .Mov(R0, 0)
        .Label("keep")
        .Exit()
        .Build());

    static IReadOnlyList<Instruction> Counter(ArrayMap<ulong> counts, short dataOffset, short dataEndOffset, int dropPort, int pass, int drop) => new Assembler()
        .Mov(R6, R1)
        .Load(MemorySize.Word, R2, R6, dataOffset)
        .Load(MemorySize.Word, R3, R6, dataEndOffset)
        .Mov(R4, R2).Add(R4, 38)
        .JumpIf(JumpOp.Greater, R4, R3, "pass")
        .Load(MemorySize.Half, R5, R2, 12)                    // EtherType, network order
        .JumpIf(JumpOp.NotEqual, R5, NetworkOrder(0x0800), "pass")
        .Load(MemorySize.Byte, R7, R2, 23)                    // IPv4 protocol
        .Load(MemorySize.Half, R8, R2, 36)                    // UDP destination port
        .Store(MemorySize.Word, R10, -4, R7)
        .Increment(counts, "counted")
        .JumpIf(JumpOp.NotEqual, R7, 17, "pass")
        .JumpIf(JumpOp.NotEqual, R8, dropPort == 0 ? -1 : NetworkOrder((ushort)dropPort), "pass")
        .StoreImmediate(MemorySize.Word, R10, -4, (int)Dropped)
        .Increment(counts, "dropped")
        .Mov(R0, drop)
        .Exit()
        .Label("pass")
        .Mov(R0, pass)
        .Exit()
        .Build();

    /// <summary>Falls through for an IPv4 UDP packet to <paramref name="port"/> (context in R6), else jumps to <paramref name="otherwise"/>.</summary>
    static Assembler UdpToPort(this Assembler a, short dataOffset, short dataEndOffset, int port, string otherwise) => a
        .Load(MemorySize.Word, R2, R6, dataOffset)
        .Load(MemorySize.Word, R3, R6, dataEndOffset)
        .Mov(R4, R2).Add(R4, 38)
        .JumpIf(JumpOp.Greater, R4, R3, otherwise)
        .Load(MemorySize.Half, R5, R2, 12)
        .JumpIf(JumpOp.NotEqual, R5, NetworkOrder(0x0800), otherwise)
        .Load(MemorySize.Byte, R5, R2, 23)
        .JumpIf(JumpOp.NotEqual, R5, 17, otherwise)
        .Load(MemorySize.Half, R5, R2, 36)
        .JumpIf(JumpOp.NotEqual, R5, NetworkOrder((ushort)port), otherwise);

    /// <summary>A 16-bit value as a little-endian load of its network-order bytes yields it.</summary>
    static int NetworkOrder(ushort value) => BinaryPrimitives.ReverseEndianness(value);

    static BpfProgram Load(BpfProgramType type, string name, IReadOnlyList<Instruction> instructions) =>
        BpfProgram.Load(new ProgramLoadOptions { Type = type, Name = name, Instructions = instructions });
}
