using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Interop;

namespace BpfSharp.Programs;

/// <summary>What the kernel reports about a program. Run count and time are non-zero only while BPF stats are enabled (<see cref="BpfStats"/>).</summary>
public sealed record ProgramInfo(
    uint Id,
    BpfProgramType Type,
    string Name,
    string Tag,
    uint XlatedLength,
    uint JitedLength,
    IReadOnlyList<uint> MapIds,
    ulong RunCount,
    ulong RunTimeNs,
    uint VerifiedInstructions,
    uint BtfId,
    bool GplCompatible,
    ulong LoadTimeNs,
    uint CreatedByUid);

public sealed unsafe partial class BpfProgram
{
    /// <summary>Reads the program's info (BPF_OBJ_GET_INFO_BY_FD), including the ids of the maps it uses.</summary>
    public ProgramInfo GetInfo()
    {
        var info = new BpfProgramInfo();
        BpfSyscall.GetInfo(Fd, ref info);
        uint[] mapIds = [];
        if (info.NrMapIds > 0)
        {
            mapIds = new uint[info.NrMapIds];
            fixed (uint* ids = mapIds)
            {
                var second = new BpfProgramInfo { NrMapIds = (uint)mapIds.Length, MapIds = (ulong)ids };
                BpfSyscall.GetInfo(Fd, ref second);
            }
        }
        return new ProgramInfo(info.Id, (BpfProgramType)info.Type, BpfSyscall.ReadObjectName(info.Name),
            Convert.ToHexStringLower(new ReadOnlySpan<byte>(info.Tag, BpfConstants.TagSize)),
            info.XlatedProgLen, info.JitedProgLen, mapIds, info.RunCnt, info.RunTimeNs, info.VerifiedInsns,
            info.BtfId, info.GplCompatible != 0, info.LoadTime, info.CreatedByUid);
    }

    /// <summary>The instructions as the kernel rewrote them after verification (bpftool's "dump xlated").</summary>
    public Instruction[] GetXlatedInstructions()
    {
        var info = new BpfProgramInfo();
        BpfSyscall.GetInfo(Fd, ref info);
        byte[] buffer = new byte[info.XlatedProgLen];
        fixed (byte* b = buffer)
        {
            var second = new BpfProgramInfo { XlatedProgLen = (uint)buffer.Length, XlatedProgInsns = (ulong)b };
            BpfSyscall.GetInfo(Fd, ref second);
        }
        return InstructionDecoder.Decode(buffer);
    }
}

/// <summary>Turns on the kernel's run-time statistics of every program (BPF_ENABLE_STATS) until disposed.</summary>
public sealed class BpfStats : IDisposable
{
    readonly BpfFileDescriptor fd;

    BpfStats(BpfFileDescriptor fd) => this.fd = fd;

    public static BpfStats Enable(BpfStatsType type = BpfStatsType.RunTime, ISyscalls? syscalls = null)
    {
        var attr = new EnableStatsAttr { Type = (uint)type };
        return new BpfStats(BpfSyscall.InvokeForFd(syscalls ?? LinuxSyscalls.Instance, BpfCommand.EnableStats, ref attr, $"enabling {type} statistics"));
    }

    public void Dispose() => fd.Dispose();
}
