using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Syscalls;

public class PerfEventAndEpollTests
{
    [Fact]
    public void SoftwareClockEventOpensEnablesAndDisables()
    {
        Kernel.Require();
        var attr = new PerfEventAttr { Type = (uint)PerfType.Software, Config = (ulong)PerfSoftwareEvent.TaskClock };
        attr.Disabled = 1;
        using BpfFileDescriptor fd = PerfEventFile.Open(ref attr, pid: 0, cpu: -1, "task clock of this process");
        Assert.Equal((uint)System.Runtime.CompilerServices.Unsafe.SizeOf<PerfEventAttr>(), attr.Size);
        PerfEventFile.Enable(fd);
        PerfEventFile.Disable(fd);
    }

    [Fact]
    public void UnknownEventTypeIsAClearError()
    {
        Kernel.Require();
        var attr = new PerfEventAttr { Type = 0xFFFF, Config = 0 };
        var e = Assert.Throws<BpfSyscallException>(() => PerfEventFile.Open(ref attr, 0, -1, "a made-up PMU"));
        Assert.Equal("perf_event_open", e.Syscall);
        Assert.Contains("a made-up PMU", e.Message);
    }

    [Fact]
    public void EpollReportsNothingReadyOnAnEmptyRingBufferAndRefusesADoubleAdd()
    {
        Kernel.Require();
        using BpfMap ring = BpfMap.Create(new MapSpec { Type = BpfMapType.RingBuf, MaxEntries = 4096 });
        using var epoll = new EpollSet();
        epoll.Add(ring.Fd, token: 7);
        Span<EpollEvent> ready = stackalloc EpollEvent[4];
        Assert.Equal(0, epoll.Wait(ready, 0));
        var e = Assert.Throws<BpfSyscallException>(() => epoll.Add(ring.Fd, token: 8));
        Assert.Equal(Errno.EEXIST, e.Errno);
        epoll.Remove(ring.Fd);
    }
}
