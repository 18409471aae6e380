using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Interop;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Maps.PerfBuffers;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.PerfBuffers;

/// <summary>Real events: a raw tracepoint on sys_enter reports this thread's system calls through the perf buffer.</summary>
public partial class PerfBufferLiveTests
{
    [LibraryImport("libc")]
    private static partial int gettid();

    [StructLayout(LayoutKind.Sequential)]
    readonly record struct SyscallEvent(uint Tid, uint Cpu, long Id);

    static long CloseSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 3,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 57,
        var a => throw new PlatformNotSupportedException($"close(2)'s number on {a} is not known to this test"),
    };

    /// <summary>raw_tp/sys_enter: for system calls of thread <paramref name="tid"/>, outputs {tid, cpu, syscall id}.</summary>
    static BpfProgram ReportSyscallsOf(int tid, BpfMap events) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.RawTracepoint,
        Name = "pb_sys_enter",
        Instructions = new Assembler()
            .Mov(R6, R1)
            .Call((int)BpfHelperId.GetCurrentPidTgid)
            .Emit(Instruction.Mov32(R0, R0))                        // the thread id is the low half
            .JumpIf(JumpOp.NotEqual, R0, tid, "out")
            .Store(MemorySize.Word, R10, -16, R0)
            .Call((int)BpfHelperId.GetSmpProcessorId)
            .Store(MemorySize.Word, R10, -12, R0)
            .Load(MemorySize.DoubleWord, R1, R6, 8)                 // sys_enter(struct pt_regs *regs, long id)
            .Store(MemorySize.DoubleWord, R10, -8, R1)
            .Mov(R1, R6)
            .LoadMapFd(R2, events.Fd.RawValue)
            .Emit(Instruction.Mov32(R3, -1))                        // BPF_F_CURRENT_CPU
            .Mov(R4, R10).Add(R4, -16)
            .Mov(R5, 16)
            .Call((int)BpfHelperId.PerfEventOutput)
            .Label("out")
            .Mov(R0, 0)
            .Exit()
            .Build(),
    });

    /// <summary>100 close(-1) calls: each one a system call that fails with EBADF and changes nothing.</summary>
    static void Close100()
    {
        for (int i = 0; i < 100; i++) Assert.Equal(-9, LinuxSyscalls.Instance.Close(-1));
    }

    [Fact]
    public void AnAttachedRawTracepointReportsEachSystemCallAndStopsWhenDetached()
    {
        Kernel.Require();
        int tid = gettid();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_live"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 16 });
        using BpfProgram program = ReportSyscallsOf(tid, producer.Events);
        var closes = 0;
        PerfRecordHandler<SyscallEvent> count = (int cpu, in SyscallEvent e) =>
        {
            Assert.Equal((uint)tid, e.Tid);
            Assert.Equal((uint)cpu, e.Cpu); // each record sits in the ring of the CPU that made the call
            if (e.Id == CloseSyscallNumber) closes++;
        };

        using (BpfLink.RawTracepoint(program, "sys_enter"))
        {
            Close100();
            reader.Consume(count);
            Assert.Equal(100, closes);
            Assert.Equal(0ul, reader.TotalLostSamples);
        }

        // Once the link is gone (the kernel may finish releasing it a moment after close), nothing more arrives.
        for (int wait = 0; wait < 100 && reader.Consume(count) > 0; wait++)
        {
            Close100();
            Thread.Sleep(10);
        }
        closes = 0;
        Close100();
        Assert.Equal(0, reader.Consume(count));
        Assert.Equal(0, closes);
    }
}
