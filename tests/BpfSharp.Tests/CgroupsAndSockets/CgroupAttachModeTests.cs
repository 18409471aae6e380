using System.Net;
using System.Net.Sockets;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Links.Cgroups;
using BpfSharp.Objects;
using BpfSharp.Programs;
using BpfSharp.Tests.Links;
using Xunit;
using static BpfSharp.Tests.CgroupsAndSockets.CgroupProbe;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// Legacy attachment modes (exclusive, override, multi, replace), link ordering (before/after, revisions), and the
/// errors that say how to fix a program that does not fit its hook — each checked by query and by a real trigger.
/// </summary>
public class CgroupAttachModeTests
{
    static BpfObject Load() => BpfObject.Load(CFixtures.Bpf("cgroup_hooks"));

    static uint Id(BpfProgram p) => p.GetInfo().Id;

    sealed class Listener : IDisposable
    {
        readonly TcpListener listener = new(IPAddress.Loopback, 0);
        public Listener() => listener.Start();
        public string Port => ((IPEndPoint)listener.LocalEndpoint).Port.ToString();
        public void Dispose() => listener.Dispose();
    }

    /// <summary>A child cgroup of <paramref name="parent"/>, removed by the returned handle.</summary>
    sealed class ChildCgroup : IDisposable
    {
        public ChildCgroup(TempCgroup parent)
        {
            Path = System.IO.Path.Combine(parent.Path, "child");
            Directory.CreateDirectory(Path);
            Fd = Cgroup.Open(Path);
        }

        public string Path { get; }
        public Interop.BpfFileDescriptor Fd { get; }

        public void Dispose()
        {
            Fd.Dispose();
            for (int attempt = 0; ; attempt++)
            {
                try { Directory.Delete(Path); return; }
                catch (IOException) when (attempt < 50) { Thread.Sleep(20); }
            }
        }
    }

    [Fact]
    public void MultiKeepsBothProgramsInOrderAndReplaceSwapsInPlace()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();
        BpfProgram count = obj.Program("count_egress"), a = obj.Program("mark_a"), b = obj.Program("mark_b");
        using var listener = new Listener();

        using CgroupAttachment first = CgroupProgram.Attach(count, cg.Fd, CgroupHook.Egress, CgroupAttachMode.Multi);
        using CgroupAttachment second = CgroupProgram.Attach(a, cg.Path, CgroupHook.Egress, CgroupAttachMode.Multi);
        ProgramQueryResult two = CgroupProgram.Query(cg.Fd, CgroupHook.Egress);
        Assert.Equal([Id(count), Id(a)], two.ProgramIds);
        Assert.Equal([ProgramAttachFlags.AllowMulti, ProgramAttachFlags.AllowMulti], two.ProgramAttachFlags);
        Assert.Equal(CgroupAttachMode.Multi, CgroupProgram.ModeOf(two.AttachFlags));

        Assert.True(Run(cg, "tcp-connect4", listener.Port).Succeeded);
        Assert.True(obj.GetGlobal<ulong>("egress_packets") >= 1, "both run: the counter counted");
        Assert.Equal(1ul, obj.GetGlobal<ulong>("first_to_run"));

        using CgroupAttachment swapped = CgroupProgram.Attach(b, cg.Fd, CgroupHook.Egress, CgroupAttachMode.Multi, replace: count);
        Assert.Equal([Id(b), Id(a)], CgroupProgram.Query(cg.Fd, CgroupHook.Egress).ProgramIds);
        ulong egress = obj.GetGlobal<ulong>("egress_packets");
        Assert.True(Run(cg, "tcp-connect4", listener.Port).Succeeded);
        Assert.Equal(egress, obj.GetGlobal<ulong>("egress_packets"));

        first.Dispose(); // already replaced: disposing is not an error
        second.Detach();
        swapped.Dispose();
        Assert.Empty(CgroupProgram.Query(cg.Fd, CgroupHook.Egress).ProgramIds);
        Assert.Throws<ObjectDisposedException>(swapped.Detach);
    }

    [Fact]
    public void OverrideLetsAChildCgroupReplaceTheParentsProgram()
    {
        Kernel.Require();
        using var parent = new TempCgroup();
        using var child = new ChildCgroup(parent);
        using BpfObject obj = Load();
        using var listener = new Listener();

        using CgroupAttachment deny = CgroupProgram.Attach(obj.Program("deny_connect4"), parent.Fd, CgroupHook.Connect4, CgroupAttachMode.Override);
        Assert.Equal(EPERM, Run(child.Path, "tcp-connect4", listener.Port).ExitCode);
        Assert.Equal([Id(obj.Program("deny_connect4"))], CgroupProgram.Query(child.Fd, CgroupHook.Connect4, effective: true).ProgramIds);

        using (CgroupProgram.Attach(obj.Program("count_connect4"), child.Fd, CgroupHook.Connect4, CgroupAttachMode.Override))
        {
            Assert.Equal([Id(obj.Program("count_connect4"))], CgroupProgram.Query(child.Fd, CgroupHook.Connect4, effective: true).ProgramIds);
            Assert.True(Run(child.Path, "tcp-connect4", listener.Port).Succeeded, "the child's program overrides the parent's deny");
            Assert.Equal(EPERM, Run(parent, "tcp-connect4", listener.Port).ExitCode);
        }

        Assert.Equal(EPERM, Run(child.Path, "tcp-connect4", listener.Port).ExitCode);
        Assert.Equal(CgroupAttachMode.Override, CgroupProgram.ModeOf(CgroupProgram.Query(parent.Fd, CgroupHook.Connect4).AttachFlags));
    }

    [Fact]
    public void ExclusiveForbidsChildrenAndAttachingAgainReplaces()
    {
        Kernel.Require();
        using var parent = new TempCgroup();
        using var child = new ChildCgroup(parent);
        using BpfObject obj = Load();
        using var listener = new Listener();

        using CgroupAttachment count = CgroupProgram.Attach(obj.Program("count_connect4"), parent.Fd, CgroupHook.Connect4, CgroupAttachMode.Exclusive);
        var refused = Assert.Throws<BpfSyscallException>(() =>
            CgroupProgram.Attach(obj.Program("deny_connect4"), child.Fd, CgroupHook.Connect4, CgroupAttachMode.Exclusive));
        Assert.Equal(Errno.EPERM, refused.Errno);
        Assert.Contains("exclusive", refused.Message);

        // Exclusive again at the same cgroup: the one program is swapped.
        using CgroupAttachment deny = CgroupProgram.Attach(obj.Program("deny_connect4"), parent.Fd, CgroupHook.Connect4, CgroupAttachMode.Exclusive);
        Assert.Equal([Id(obj.Program("deny_connect4"))], CgroupProgram.Query(parent.Fd, CgroupHook.Connect4).ProgramIds);
        Assert.Equal(EPERM, Run(child.Path, "tcp-connect4", listener.Port).ExitCode);

        // A hook in exclusive mode refuses multi attachments too.
        var mixed = Assert.Throws<BpfSyscallException>(() =>
            CgroupProgram.Attach(obj.Program("count_connect4"), parent.Fd, CgroupHook.Connect4, CgroupAttachMode.Multi));
        Assert.Equal(Errno.EPERM, mixed.Errno);

        deny.Dispose();
        Assert.Empty(CgroupProgram.Query(parent.Fd, CgroupHook.Connect4).ProgramIds);
        Assert.True(Run(child.Path, "tcp-connect4", listener.Port).Succeeded);
    }

    [Fact]
    public void AnAttachmentDetachesAfterItsProgramHandleIsGone()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        CgroupAttachment attachment;
        using (BpfObject obj = Load())
            attachment = CgroupProgram.Attach(obj.Program("deny_dev_null"), cg.Fd, CgroupHook.Device, CgroupAttachMode.Multi);
        using (attachment)
        {
            Assert.Equal(EPERM, Run(cg, "open", "/dev/null").ExitCode);
            Assert.Single(CgroupProgram.Query(cg.Fd, CgroupHook.Device).ProgramIds);
        }
        Assert.Empty(CgroupProgram.Query(cg.Fd, CgroupHook.Device).ProgramIds);
        Assert.True(Run(cg, "open", "/dev/null").Succeeded);
    }

    [Fact]
    public void LinksArePlacedFirstOrRelativeToAnotherLink()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();
        BpfProgram a = obj.Program("mark_a"), b = obj.Program("mark_b"), count = obj.Program("count_egress");
        using var listener = new Listener();

        using BpfLink linkA = CgroupLink.Attach(a, cg.Fd, CgroupHook.Egress);
        using BpfLink linkB = CgroupLink.Attach(b, cg.Fd, CgroupHook.Egress, CgroupOrder.First);
        Assert.Equal([Id(b), Id(a)], CgroupProgram.Query(cg.Fd, CgroupHook.Egress).ProgramIds);
        Assert.True(Run(cg, "tcp-connect4", listener.Port).Succeeded);
        Assert.Equal(2ul, obj.GetGlobal<ulong>("first_to_run"));

        using (CgroupLink.Attach(count, cg.Fd, CgroupHook.Egress, CgroupOrder.After(linkB)))
            Assert.Equal([Id(b), Id(count), Id(a)], CgroupProgram.Query(cg.Fd, CgroupHook.Egress).ProgramIds);
        using (CgroupLink.Attach(count, cg.Fd, CgroupHook.Egress, CgroupOrder.BeforeLinkId(linkB.GetInfo().Id)))
            Assert.Equal([Id(count), Id(b), Id(a)], CgroupProgram.Query(cg.Fd, CgroupHook.Egress).ProgramIds);

        var mixed = Assert.Throws<ArgumentException>(() => CgroupLink.Attach(count, cg.Fd, CgroupHook.Egress, CgroupOrder.After(b)));
        Assert.Contains("relative to another link", mixed.Message);
    }

    [Fact]
    public void LegacyAttachmentsArePlacedRelativeToPrograms()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();
        BpfProgram a = obj.Program("mark_a"), b = obj.Program("mark_b"), count = obj.Program("count_egress");
        using var listener = new Listener();

        using CgroupAttachment attachedA = CgroupProgram.Attach(a, cg.Fd, CgroupHook.Egress, CgroupAttachMode.Multi);
        using CgroupAttachment attachedB = CgroupProgram.Attach(b, cg.Fd, CgroupHook.Egress, CgroupAttachMode.Multi, order: CgroupOrder.Before(a));
        using CgroupAttachment attachedCount = CgroupProgram.Attach(count, cg.Fd, CgroupHook.Egress, CgroupAttachMode.Multi, order: CgroupOrder.AfterId(Id(b)));
        Assert.Equal([Id(b), Id(count), Id(a)], CgroupProgram.Query(cg.Fd, CgroupHook.Egress).ProgramIds);
        Assert.True(Run(cg, "tcp-connect4", listener.Port).Succeeded);
        Assert.Equal(2ul, obj.GetGlobal<ulong>("first_to_run"));

        using BpfLink link = CgroupLink.Attach(obj.Program("count_ingress"), cg.Fd, CgroupHook.Ingress);
        Assert.Throws<ArgumentException>(() => CgroupProgram.Attach(count, cg.Fd, CgroupHook.Egress, CgroupAttachMode.Multi, order: CgroupOrder.After(link)));
    }

    [Fact]
    public void AStaleRevisionIsRefusedWithEstale()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();

        ulong revision = CgroupProgram.Query(cg.Fd, CgroupHook.Egress).Revision;
        using BpfLink first = CgroupLink.Attach(obj.Program("mark_a"), cg.Fd, CgroupHook.Egress, CgroupOrder.Last with { ExpectedRevision = revision });
        Assert.Equal(revision + 1, CgroupProgram.Query(cg.Fd, CgroupHook.Egress).Revision);

        var stale = Assert.Throws<BpfSyscallException>(() =>
            CgroupLink.Attach(obj.Program("mark_b"), cg.Fd, CgroupHook.Egress, CgroupOrder.Last with { ExpectedRevision = revision }));
        Assert.Equal(Errno.ESTALE, stale.Errno);
        Assert.Contains($"no longer {revision}", stale.Message);
        Assert.Single(CgroupProgram.Query(cg.Fd, CgroupHook.Egress).ProgramIds);

        using var elsewhere = new TempCgroup();
        var missing = Assert.Throws<BpfSyscallException>(() =>
            CgroupLink.Attach(obj.Program("mark_b"), elsewhere.Fd, CgroupHook.Egress, CgroupOrder.Before(first)));
        Assert.Equal(Errno.ENOENT, missing.Errno);
        Assert.Contains("not attached at this hook", missing.Message);
    }

    [Fact]
    public void AProgramOfTheWrongKindSaysHowToLoadIt()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfObject obj = Load();

        var wrongType = Assert.Throws<ArgumentException>(() => CgroupLink.Attach(obj.Program("count_egress"), cg.Path, CgroupHook.Connect4));
        Assert.Contains("Type = CgroupSockAddr and ExpectedAttachType = CgroupInet4Connect", wrongType.Message);
        Assert.Contains("SEC(\"cgroup/connect4\")", wrongType.Message);

        // Right program type, but loaded for connect4: the kernel says EINVAL and the message says why.
        var wrongHook = Assert.Throws<BpfSyscallException>(() => CgroupLink.Attach(obj.Program("count_connect4"), cg.Path, CgroupHook.Bind4));
        Assert.Equal(Errno.EINVAL, wrongHook.Errno);
        Assert.Contains("ExpectedAttachType = CgroupInet4Bind", wrongHook.Message);
        var legacy = Assert.Throws<BpfSyscallException>(() =>
            CgroupProgram.Attach(obj.Program("count_connect4"), cg.Fd, CgroupHook.Bind4, CgroupAttachMode.Multi));
        Assert.Equal(BpfCommand.ProgAttach, legacy.Command);
        Assert.Contains("ExpectedAttachType = CgroupInet4Bind", legacy.Message);

        Assert.Throws<ArgumentException>(() =>
            CgroupProgram.Attach(obj.Program("mark_a"), cg.Fd, CgroupHook.Egress, CgroupAttachMode.Override, replace: obj.Program("mark_b")));
        Assert.Empty(CgroupProgram.Query(cg.Fd, CgroupHook.Bind4).ProgramIds);
    }

    [Fact]
    public void EveryHookMapsToTheSectionLibbpfUses()
    {
        foreach (CgroupHook hook in Enum.GetValues<CgroupHook>())
        {
            CgroupHooks.HookInfo info = CgroupHooks.Info(hook);
            SectionConvention convention = SectionConventions.Find(info.SectionName)!;
            Assert.Equal(info.ProgramType, convention.ProgramType);
            Assert.Equal(info.AttachType, convention.ExpectedAttachType);
            Assert.Equal(hook, CgroupHooks.FromAttachType(info.AttachType));
        }
        Assert.Null(CgroupHooks.FromAttachType(BpfAttachType.Xdp));
    }
}
