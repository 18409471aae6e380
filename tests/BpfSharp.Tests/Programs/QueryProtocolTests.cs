using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Links;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Programs;

/// <summary>The BPF_PROG_QUERY and open(2) protocols against a fake kernel: what is asked, in what order.</summary>
public unsafe class QueryProtocolTests
{
    /// <summary>A hook whose program list grows from 1 to 3 between the count query and the fetch.</summary>
    sealed class GrowingHook : ISyscalls
    {
        public readonly List<(uint Count, bool HasIds)> Calls = [];
        public (string Path, int Flags)? Opened;
        readonly uint[][] listings = [[11], [11, 12, 13]];

        public int Bpf(BpfCommand command, void* attr, uint size)
        {
            Assert.Equal(BpfCommand.ProgQuery, command);
            Assert.Equal((uint)sizeof(ProgQueryAttr), size);
            ref ProgQueryAttr q = ref *(ProgQueryAttr*)attr;
            Calls.Add((q.Count, q.ProgIds != 0));
            uint[] now = listings[Math.Min(Calls.Count - 1, 1)];
            uint asked = q.Count;
            q.Count = (uint)now.Length;
            q.AttachFlags = (uint)ProgramAttachFlags.AllowMulti;
            q.Revision = 7 + (ulong)Calls.Count;
            if (q.ProgIds == 0) return 0;
            for (int i = 0; i < Math.Min(asked, now.Length); i++)
            {
                ((uint*)q.ProgIds)[i] = now[i];
                if (q.ProgAttachFlags != 0) ((uint*)q.ProgAttachFlags)[i] = (uint)ProgramAttachFlags.AllowMulti;
            }
            return asked < now.Length ? -(int)Errno.ENOSPC : 0;
        }

        public int Close(int fd) => 0;
        public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset) => -(int)Errno.ENOSYS;
        public int Munmap(void* address, nuint length) => -(int)Errno.ENOSYS;

        public int Open(string path, int flags)
        {
            Opened = (path, flags);
            return 42;
        }
    }

    [Fact]
    public void QueryAsksForTheCountThenRetriesWhenTheListGrew()
    {
        var kernel = new GrowingHook();

        ProgramQueryResult result = BpfProgram.Query(kernel, 5, BpfAttachType.CgroupInetEgress);

        Assert.Equal([(0u, false), (1u, true), (3u, true)], kernel.Calls);
        Assert.Equal([11u, 12u, 13u], result.ProgramIds);
        Assert.Equal(Enumerable.Repeat(ProgramAttachFlags.AllowMulti, 3), result.ProgramAttachFlags);
        Assert.Equal(ProgramAttachFlags.AllowMulti, result.AttachFlags);
        Assert.Equal(10ul, result.Revision);
    }

    [Fact]
    public void CgroupOpenAsksForAReadOnlyDirectoryClosedOnExec()
    {
        var kernel = new GrowingHook();

        using BpfFileDescriptor fd = Cgroup.Open("/sys/fs/cgroup/x", kernel);

        Assert.Equal(42, fd.RawValue);
        Assert.Equal("/sys/fs/cgroup/x", kernel.Opened?.Path);
        int expectedDirectory = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
        Assert.Equal(expectedDirectory | 0x80000, kernel.Opened?.Flags);   // O_RDONLY (0) | O_DIRECTORY | O_CLOEXEC
    }
}
