using System.Text;
using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using OpenSnoop;
using Xunit;

namespace BpfSharp.Compiler.Tests.EndToEnd;

/// <summary>
/// The README's main job end to end: the sample's C# module compiled, attached by its section name to
/// syscalls/sys_enter_openat, and its ring buffer read with the C# record type while this process opens files.
/// </summary>
public class OpenSnoopSampleTests
{
    [Fact]
    public void Opening_a_file_arrives_as_an_OpenEvent_with_its_name_and_stops_after_dispose()
    {
        Emit.KernelGate.Require();
        string path = Path.Combine(Path.GetTempPath(), $"bpfsharp_opensnoop_{Environment.ProcessId}_{Guid.NewGuid():N}");
        File.WriteAllText(path, "x");
        try
        {
            using BpfObject bpf = BpfObject.Load<OpenSnoopModule>(o => o.SetGlobal(nameof(OpenSnoopModule.OnlyPid), (uint)Environment.ProcessId));
            var attached = bpf.AttachAll();
            Assert.Equal([nameof(OpenSnoopModule.OnOpenat)], attached.Attached.Select(a => a.Name));
            using var events = new RingBufferReader(bpf.Map(nameof(OpenSnoopModule.Events)));

            for (int i = 0; i < 3; i++) File.ReadAllText(path);
            var mine = new List<OpenEvent>();
            events.Consume((in OpenEvent e) =>
            {
                if (Text(e.File) == path) mine.Add(e);
                return true;
            });
            Assert.Equal(3, mine.Count);
            Assert.All(mine, e => Assert.Equal((uint)Environment.ProcessId, e.Pid));
            Assert.True(bpf.Global<ulong>(nameof(OpenSnoopModule.Seen)).Value >= 3);
            Assert.Equal(0ul, bpf.GetGlobal<ulong>(nameof(OpenSnoopModule.Dropped)));

            bpf.Links[nameof(OpenSnoopModule.OnOpenat)].Dispose();
            events.Consume(_ => true);
            File.ReadAllText(path);
            int after = 0;
            events.Consume(_ => { after++; return true; });
            Assert.Equal(0, after);
        }
        finally
        {
            File.Delete(path);
        }
    }

    static string Text(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
