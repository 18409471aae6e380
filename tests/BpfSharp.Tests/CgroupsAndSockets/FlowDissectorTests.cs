using System.Buffers.Binary;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Links;
using BpfSharp.Links.Sockets;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Tests.CgroupsAndSockets.CgroupProbe;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// A flow dissector: test-run on a frame built here (the kernel hands back the flow keys it filled), and attached to
/// a fresh network namespace by link and the legacy way, where a real frame sent through an AF_PACKET socket is
/// dissected by it until it is detached.
/// </summary>
public class FlowDissectorTests
{
    const int Port = 5353;

    static BpfObject Load() => BpfObject.Load(CFixtures.Bpf("flow_dissector"));

    /// <summary>Ethernet + IPv4 (no options) + UDP 127.0.0.1:4242 → 127.0.0.1:<paramref name="port"/>, like the probe sends.</summary>
    static byte[] Frame(int port)
    {
        byte[] f = new byte[14 + 20 + 8 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        f[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), 32);
        f[22] = 64;
        f[23] = 17;
        f.AsSpan(26, 4).Fill(0);
        f[26] = 127; f[29] = 1;
        f[30] = 127; f[33] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(34), 4242);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(36), (ushort)port);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(38), 12);
        return f;
    }

    [Fact]
    public void TestRunReturnsTheFlowKeysTheProgramFilled()
    {
        Kernel.Require();
        using BpfObject obj = Load();
        byte[] keys = new byte[56]; // struct bpf_flow_keys
        TestRunResult result = obj.Program("dissect").TestRun(new TestRunOptions { Data = Frame(Port), DataOut = keys });

        Assert.Equal(0u, result.ReturnValue); // BPF_OK
        Assert.Equal(keys.Length, result.DataOutLength);
        Assert.Equal(14, BinaryPrimitives.ReadUInt16LittleEndian(keys.AsSpan(0)));          // nhoff
        Assert.Equal(34, BinaryPrimitives.ReadUInt16LittleEndian(keys.AsSpan(2)));          // thoff
        Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16LittleEndian(keys.AsSpan(4)));      // addr_proto
        Assert.Equal(17, keys[9]);                                                           // ip_proto
        Assert.Equal(4242, BinaryPrimitives.ReadUInt16BigEndian(keys.AsSpan(12)));          // sport
        Assert.Equal(Port, BinaryPrimitives.ReadUInt16BigEndian(keys.AsSpan(14)));          // dport
        Assert.Equal([127, 0, 0, 1], keys.AsSpan(16, 4).ToArray());                          // ipv4_src
        Assert.Equal(1ul, obj.GetGlobal<ulong>("dissected"));

        byte[] arp = Frame(Port);
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(12), 0x0806);
        Assert.Equal(2u, obj.Program("dissect").TestRun(new TestRunOptions { Data = arp, DataOut = keys }).ReturnValue); // BPF_DROP
    }

    [Fact]
    public void ALinkedDissectorParsesRealFramesUntilClosed()
    {
        Kernel.Require();
        using var ns = new TempNetns();
        using BpfObject obj = Load();
        using BpfFileDescriptor netns = ns.Open();

        using (BpfLink link = FlowDissector.Attach(obj.Program("dissect"), netns))
        {
            LinkInfo info = link.GetInfo();
            Assert.Equal(BpfLinkType.Netns, info.Type);
            Assert.Equal(BpfAttachType.FlowDissector, info.AttachType);
            Assert.Equal([obj.Program("dissect").GetInfo().Id], FlowDissector.Query(netns).ProgramIds);

            ProbeResult sent = RunIn(ns, "packet-send4", "lo", Port.ToString());
            Assert.True(sent.Succeeded, sent.ToString());
            Assert.True(obj.GetGlobal<ulong>("dissected") >= 1);
            Assert.Equal(Port, obj.GetGlobal<ushort>("last_dport"));
        }

        Assert.Empty(FlowDissector.Query(netns).ProgramIds);
        ulong dissected = obj.GetGlobal<ulong>("dissected");
        Assert.True(RunIn(ns, "packet-send4", "lo", "6000").Succeeded);
        Assert.Equal(dissected, obj.GetGlobal<ulong>("dissected"));
        Assert.Equal(Port, obj.GetGlobal<ushort>("last_dport"));
    }

    [Fact]
    public void TheLegacyAttachmentBelongsToTheCallersNamespace()
    {
        Kernel.Require();
        using var ns = new TempNetns();
        using BpfObject obj = Load();
        using BpfFileDescriptor netns = ns.Open();

        FlowDissectorAttachment attachment = ns.Run(() => FlowDissector.AttachToCurrentNamespace(obj.Program("dissect")));
        try
        {
            Assert.Equal(NetworkNamespace.Inode(netns), attachment.NamespaceInode);
            Assert.Equal([attachment.ProgramId], FlowDissector.Query(netns).ProgramIds);
            Assert.True(RunIn(ns, "packet-send4", "lo", Port.ToString()).Succeeded);
            Assert.Equal(Port, obj.GetGlobal<ushort>("last_dport"));

            // this test thread is in the machine's namespace, not the one attached to
            var elsewhere = Assert.Throws<InvalidOperationException>(attachment.Detach);
            Assert.Contains("detach from a thread in that namespace", elsewhere.Message);
            Assert.Single(FlowDissector.Query(netns).ProgramIds);
        }
        finally
        {
            ns.Run(attachment.Dispose);
        }
        Assert.Empty(FlowDissector.Query(netns).ProgramIds);
    }
}
