using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.Tracing;

public class TpBtfTests
{
    [StructLayout(LayoutKind.Sequential)]
    unsafe struct ExecSeen
    {
        public uint OldPid;
        public fixed byte Comm[16];

        public string CommText
        {
            get
            {
                fixed (byte* c = Comm) return Marshal.PtrToStringUTF8((nint)c) ?? "";
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SeesTheExecOfAChildProcessAndStopsAfterDispose(bool throughLinkCreate)
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("exec_btf"));
        var execs = obj.Map<HashMap<uint, ExecSeen>>("execs");

        int child;
        using (BpfLink link = throughLinkCreate
                   ? BpfLink.Tracing(obj.Program("on_exec"), BpfAttachType.TraceRawTp, cookie: 7)
                   : BpfLink.Tracing(obj.Program("on_exec")))
        {
            child = Effects.RunTrue();
            Assert.True(execs.TryGetValue((uint)child, out ExecSeen seen), $"the exec of child {child} was not seen");
            Assert.Equal("true", seen.CommText);
            Assert.Equal((uint)child, seen.OldPid);

            LinkInfo info = link.GetInfo();
            Assert.Equal(BpfLinkType.RawTracepoint, info.Type); // tp_btf links are raw tracepoint links
            Assert.Equal("sched_process_exec", info.TracepointName);
            Assert.Equal(throughLinkCreate ? 7ul : 0ul, info.Cookie);
        }

        // Detached: later execs are not recorded. The release may finish a moment after close, so run a few.
        int later = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            later = Effects.RunTrue();
            if (!execs.TryGetValue((uint)later, out _)) break;
            Thread.Sleep(10);
        }
        Assert.False(execs.TryGetValue((uint)later, out _), $"child {later} was recorded after the link was disposed");
        for (int i = 0; i < 3; i++)
        {
            int pid = Effects.RunTrue();
            Assert.False(execs.TryGetValue((uint)pid, out _), $"child {pid} was recorded after the link was disposed");
        }
    }

    [Fact]
    public void ACookieWithoutTheAttachTypeIsRefused()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("exec_btf"));
        var e = Assert.Throws<ArgumentException>(() => BpfLink.Tracing(obj.Program("on_exec"), cookie: 1));
        Assert.Contains("attachType", e.Message);
    }
}
