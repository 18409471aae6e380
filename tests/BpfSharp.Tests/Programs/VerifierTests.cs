using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Programs;

public class VerifierTests
{
    [Fact]
    public void UninitialisedR0AtExitIsRejectedWithTheLog()
    {
        Kernel.Require();
        Instruction[] program = new Assembler()
            .Mov(R1, 7)
            .Mov(R2, R1)
            .Exit()                     // r0 was never written
            .Build();

        var e = Assert.Throws<BpfVerifierException>(() =>
            BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Name = "no_r0", Instructions = program }));

        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Equal(BpfCommand.ProgLoad, e.Command);
        Assert.NotEmpty(e.Log);
        Assert.Contains("R0 !read_ok", e.DecisiveLines);
        Assert.Contains("'no_r0'", e.Message);
        Assert.Contains("R0 !read_ok", e.Message);
        Assert.Equal(2, e.InstructionIndex);
        Assert.Null(e.SourceLocation);
    }

    [Fact]
    public void OutOfBoundsStackReadIsRejectedAtThatInstruction()
    {
        Kernel.Require();
        Instruction[] program = new Assembler()
            .Mov(R0, 0)
            .StoreImmediate(MemorySize.DoubleWord, R10, -8, 1)
            .Load(MemorySize.DoubleWord, R1, R10, -8)
            .Load(MemorySize.DoubleWord, R2, R10, -520)    // below the 512-byte stack
            .Exit()
            .Build();

        var e = Assert.Throws<BpfVerifierException>(() =>
            BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Name = "oob_stack", Instructions = program }));

        Assert.Contains("invalid read from stack R10 off=-520 size=8", e.DecisiveLines);
        Assert.Equal(3, e.InstructionIndex);
        Assert.Contains("'oob_stack'", e.Message);
    }

    [Fact]
    public void InstructionIndexCountsLdImm64AsTwoSlotsAndSourceLocationMapsBack()
    {
        Kernel.Require();
        Instruction[] program = new Assembler()
            .At(new SourceLocation("Probe.cs", 10, LineText: "ulong big = 1UL << 40;"))
            .LoadImm64(R1, 1L << 40)                         // slots 0-1
            .At(new SourceLocation("Probe.cs", 11, LineText: "  return stack[-64];  "))
            .Load(MemorySize.DoubleWord, R0, R10, -600)      // slot 2: rejected
            .At(new SourceLocation("Probe.cs", 12))
            .Exit()
            .Build();

        var e = Assert.Throws<BpfVerifierException>(() =>
            BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Name = "srcloc", Instructions = program }));

        Assert.Equal(2, e.InstructionIndex);
        Assert.Equal("Probe.cs:11: return stack[-64];", e.SourceLocation);
        Assert.Contains("at Probe.cs:11", e.Message);
    }

    [Fact]
    public void ALogLargerThanTheFirstBufferIsGrownAndComplete()
    {
        Kernel.Require();
        var asm = new Assembler().Mov(R0, 0);
        for (int i = 0; i < 400; i++) asm.Add(R0, 1);
        Instruction[] program = asm.Exit().Build();

        using BpfProgram p = BpfProgram.Load(new ProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter, Name = "biglog", Instructions = program, LogLevel = 2, LogSize = 4096,
        });

        string log = p.VerifierLog;
        Assert.True(log.Length > 4096, $"the log is {log.Length} bytes; level 2 of 402 instructions exceeds 4096");
        string[] lines = log.Split('\n');
        // Complete at both ends: the first instruction (a rotating log that overflowed would have lost it) …
        Assert.Contains(lines, l => l.Contains("0: (b7) r0 = 0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("400: (07) r0 += 1", StringComparison.Ordinal));
        // … and the verdict line at the end.
        Assert.Matches(@"^processed \d+ insns", lines[^1]);
    }

    [Fact]
    public void ALogAskedForOnSuccessIsKeptAndWithoutLevelIsEmpty()
    {
        Kernel.Require();
        Instruction[] program = new Assembler().Mov(R0, 0).Exit().Build();
        using BpfProgram quiet = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Instructions = program });
        using BpfProgram loud = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Instructions = program, LogLevel = 1 });

        Assert.Equal("", quiet.VerifierLog);
        Assert.Matches(@"processed 2 insns", loud.VerifierLog);
    }
}
