using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Programs;

public class TestRunTests
{
    const int XdpPass = 2, XdpTx = 3;
    const int SkBuffSize = 192;          // sizeof(struct __sk_buff) on 6.x
    const int SkBuffMark = 8, SkBuffCb0 = 48, SkBuffLen = 0;

    [StructLayout(LayoutKind.Sequential)]
    public record struct Tally(ulong Packets, ulong Bytes);

    /// <summary>XDP: tally[data[0] &amp; 3] += (1 packet, length bytes); returns XDP_PASS.</summary>
    static Instruction[] TallyByFirstByte(ArrayMap<Tally> map) => new Assembler()
        .Load(MemorySize.Word, R6, R1, 0)                 // data
        .Load(MemorySize.Word, R7, R1, 4)                 // data_end
        .Mov(R8, R7).Alu(AluOp.Sub, R8, R6)               // length
        .Mov(R2, R6).Add(R2, 1)
        .JumpIf(JumpOp.Greater, R2, R7, "out")
        .Load(MemorySize.Byte, R1, R6, 0)
        .Alu(AluOp.And, R1, 3)
        .Store(MemorySize.Word, R10, -4, R1)
        .LoadMapFd(R1, map.Map.Fd.RawValue)
        .Mov(R2, R10).Add(R2, -4)
        .Call((int)BpfHelperId.MapLookupElem)
        .JumpIf(JumpOp.Equal, R0, 0, "out")
        .Mov(R1, 1)
        .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 0, R1)
        .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 8, R8)
        .Label("out")
        .Mov(R0, XdpPass)
        .Exit()
        .Build();

    [Fact]
    public void XdpProgramUpdatesMapPerPacket()
    {
        Kernel.Require();
        using var tallies = ArrayMap<Tally>.Create(4, "tally");
        using var xdp = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Name = "tally", Instructions = TallyByFirstByte(tallies) });

        (byte First, int Length)[] packets = [(0, 60), (1, 64), (5, 100), (3, 70), (7, 80), (11, 90)];
        foreach (var (first, length) in packets)
        {
            byte[] frame = new byte[length];
            frame[0] = first;
            Assert.Equal((uint)XdpPass, xdp.TestRun(frame));
        }

        Assert.Equal(new Tally(1, 60), tallies[0]);
        Assert.Equal(new Tally(2, 164), tallies[1]);   // 1 and 5
        Assert.Equal(new Tally(0, 0), tallies[2]);
        Assert.Equal(new Tally(3, 240), tallies[3]);   // 3, 7 and 11
    }

    [Fact]
    public void RepeatRunsTheProgramThatManyTimesAndReportsADuration()
    {
        Kernel.Require();
        using var tallies = ArrayMap<Tally>.Create(4, "tally_rep");
        using var xdp = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Name = "tally_rep", Instructions = TallyByFirstByte(tallies) });
        byte[] frame = new byte[64];
        frame[0] = 2;

        TestRunResult result = xdp.TestRun(new TestRunOptions { Data = frame, Repeat = 1000 });

        Assert.Equal((uint)XdpPass, result.ReturnValue);
        Assert.True(result.DurationNs > 0, "the kernel reports the mean duration of a run");
        Assert.Equal(new Tally(1000, 64_000), tallies[2]);
    }

    [Fact]
    public void XdpRewriteShowsInDataOut()
    {
        Kernel.Require();
        // data[0] ^= 0xff; data[13] = 0x42; return XDP_TX
        Instruction[] program = new Assembler()
            .Load(MemorySize.Word, R6, R1, 0)
            .Load(MemorySize.Word, R7, R1, 4)
            .Mov(R0, XdpPass)
            .Mov(R2, R6).Add(R2, 14)
            .JumpIf(JumpOp.Greater, R2, R7, "out")
            .Load(MemorySize.Byte, R3, R6, 0)
            .Alu(AluOp.Xor, R3, 0xff)
            .Store(MemorySize.Byte, R6, 0, R3)
            .StoreImmediate(MemorySize.Byte, R6, 13, 0x42)
            .Mov(R0, XdpTx)
            .Label("out")
            .Exit()
            .Build();
        using var xdp = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Name = "rewrite", Instructions = program });
        byte[] frame = new byte[60];
        for (int i = 0; i < frame.Length; i++) frame[i] = (byte)i;
        byte[] output = new byte[128];

        TestRunResult result = xdp.TestRun(new TestRunOptions { Data = frame, DataOut = output });

        Assert.Equal((uint)XdpTx, result.ReturnValue);
        Assert.Equal(frame.Length, result.DataOutLength);
        byte[] expected = (byte[])frame.Clone();
        expected[0] = 0xff;
        expected[13] = 0x42;
        Assert.Equal(expected, output[..result.DataOutLength]);
        Assert.Equal((byte)0, frame[0]);   // the input is not touched
    }

    [Fact]
    public void DataOutTooSmallIsEnospcWithTheNeededSize()
    {
        Kernel.Require();
        Instruction[] program = new Assembler().Mov(R0, XdpPass).Exit().Build();
        using var xdp = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Name = "pass", Instructions = program });
        byte[] output = new byte[16];

        var e = Assert.Throws<BpfSyscallException>(() => xdp.TestRun(new TestRunOptions { Data = new byte[60], DataOut = output }));

        Assert.Equal(BpfCommand.ProgTestRun, e.Command);
        Assert.Equal(Errno.ENOSPC, e.Errno);
        Assert.Contains("60 bytes of data", e.Message);
    }

    [Fact]
    public void SocketFilterSeesAndReturnsSkBuffContext()
    {
        Kernel.Require();
        // cb[0] = skb->mark * 2; return skb->len
        Instruction[] program = new Assembler()
            .Load(MemorySize.Word, R2, R1, SkBuffMark)
            .Alu(AluOp.Lsh, R2, 1)
            .Store(MemorySize.Word, R1, SkBuffCb0, R2)
            .Load(MemorySize.Word, R0, R1, SkBuffLen)
            .Exit()
            .Build();
        using var filter = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Name = "ctx_io", Instructions = program });
        byte[] frame = new byte[100];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        byte[] ctxIn = new byte[SkBuffSize];
        BinaryPrimitives.WriteUInt32LittleEndian(ctxIn.AsSpan(SkBuffMark), 21);
        byte[] ctxOut = new byte[SkBuffSize];

        TestRunResult result = filter.TestRun(new TestRunOptions { Data = frame, Context = ctxIn, ContextOut = ctxOut });

        // A socket filter sees the packet from the network header: len = frame - Ethernet header.
        Assert.Equal((uint)(frame.Length - 14), result.ReturnValue);
        Assert.Equal(SkBuffSize, result.ContextOutLength);
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32LittleEndian(ctxOut.AsSpan(SkBuffCb0)));
        Assert.Equal(21u, BinaryPrimitives.ReadUInt32LittleEndian(ctxOut.AsSpan(SkBuffMark)));
    }

    [Fact]
    public void SkBuffContextWithAFieldTheKernelDoesNotAcceptIsEinval()
    {
        Kernel.Require();
        Instruction[] program = new Assembler().Mov(R0, 0).Exit().Build();
        using var filter = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Name = "ctx_bad", Instructions = program });
        byte[] ctxIn = new byte[SkBuffSize];
        BinaryPrimitives.WriteUInt32LittleEndian(ctxIn.AsSpan(SkBuffLen), 5);   // len is set by the kernel, not the caller

        var e = Assert.Throws<BpfSyscallException>(() => filter.TestRun(new TestRunOptions { Data = new byte[60], Context = ctxIn }));

        Assert.Equal(BpfCommand.ProgTestRun, e.Command);
        Assert.Equal(Errno.EINVAL, e.Errno);
    }
}
