using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Interop;
using BpfSharp.Links;
using BpfSharp.Links.Cgroups;
using BpfSharp.Links.Sockets;
using BpfSharp.Programs;
using BpfSharp.Tests.Fakes;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// Without a kernel: the attributes the typed attach APIs put into BPF_LINK_CREATE and BPF_PROG_ATTACH (ordering
/// flags and anchors, netfilter's hook), captured by a scripted fake that then refuses the call.
/// </summary>
public unsafe class AttachAttributeTests
{
    const int ProgramFd = 40, CgroupFd = 41, LinkFd = 42, AnchorProgramFd = 43;

    sealed class Capture
    {
        public LinkCreateAttr Link;
        public ProgAttachAttr Attach;
    }

    static (FakeSyscalls Kernel, Capture Seen) Kernel()
    {
        var seen = new Capture();
        int nextProgram = ProgramFd;
        var kernel = new FakeSyscalls();
        kernel.Handler = (command, attr, _) =>
        {
            switch (command)
            {
                case BpfCommand.ProgLoad: return nextProgram++ == ProgramFd ? ProgramFd : AnchorProgramFd;
                case BpfCommand.LinkGetFdById: return LinkFd;
                case BpfCommand.LinkCreate: seen.Link = *(LinkCreateAttr*)attr; return -(int)Errno.ESTALE;
                case BpfCommand.ProgAttach: seen.Attach = *(ProgAttachAttr*)attr; return -(int)Errno.ENOENT;
                default: return -(int)Errno.ENOSYS;
            }
        };
        return (kernel, seen);
    }

    static BpfProgram Load(ISyscalls kernel, BpfProgramType type) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = type,
        Instructions = new Assembler().Mov(Register.R0, 1).Exit().Build(),
    }, kernel);

    [Fact]
    public void ALinkPlacedAfterAnotherLinkCarriesBpfFLinkAndTheLinksFd()
    {
        var (kernel, seen) = Kernel();
        using BpfProgram program = Load(kernel, BpfProgramType.CgroupSkb);
        using var cgroup = new BpfFileDescriptor(CgroupFd, kernel);
        using BpfLink anchor = BpfLink.FromId(7, kernel);

        var e = Assert.Throws<BpfSyscallException>(() =>
            CgroupLink.Attach(program, cgroup, CgroupHook.Egress, CgroupOrder.After(anchor) with { ExpectedRevision = 9 }));

        Assert.Equal(Errno.ESTALE, e.Errno);
        Assert.Equal((uint)ProgramFd, seen.Link.ProgFd);
        Assert.Equal((uint)CgroupFd, seen.Link.TargetFd);
        Assert.Equal((uint)BpfAttachType.CgroupInetEgress, seen.Link.AttachType);
        Assert.Equal((uint)(ProgramAttachFlags.After | ProgramAttachFlags.Link), seen.Link.Flags);
        Assert.Equal((uint)LinkFd, seen.Link.CgroupRelativeFd);
        Assert.Equal(9ul, seen.Link.CgroupExpectedRevision);
        Assert.Contains("no longer 9", e.Message);
    }

    [Fact]
    public void ALegacyAttachmentPlacedBeforeAProgramIdCarriesBpfFId()
    {
        var (kernel, seen) = Kernel();
        using BpfProgram program = Load(kernel, BpfProgramType.CgroupSockAddr);
        using var cgroup = new BpfFileDescriptor(CgroupFd, kernel);

        var e = Assert.Throws<BpfSyscallException>(() =>
            CgroupProgram.Attach(program, cgroup, CgroupHook.Connect4, CgroupAttachMode.Multi, order: CgroupOrder.BeforeId(77)));

        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Equal((uint)(ProgramAttachFlags.AllowMulti | ProgramAttachFlags.Before | ProgramAttachFlags.Id), seen.Attach.AttachFlags);
        Assert.Equal(77u, seen.Attach.RelativeId);
        Assert.Equal((uint)BpfAttachType.CgroupInet4Connect, seen.Attach.AttachType);
        Assert.Contains("by legacy attach", e.Message);
    }

    [Fact]
    public void ReplacingSetsTheFlagAndTheOldProgramsFd()
    {
        var (kernel, seen) = Kernel();
        using BpfProgram program = Load(kernel, BpfProgramType.CgroupSkb);
        using BpfProgram old = Load(kernel, BpfProgramType.CgroupSkb);
        using var cgroup = new BpfFileDescriptor(CgroupFd, kernel);

        Assert.Throws<BpfSyscallException>(() => CgroupProgram.Attach(program, cgroup, CgroupHook.Ingress, CgroupAttachMode.Multi, replace: old));

        Assert.Equal((uint)(ProgramAttachFlags.AllowMulti | ProgramAttachFlags.Replace), seen.Attach.AttachFlags);
        Assert.Equal((uint)AnchorProgramFd, seen.Attach.ReplaceBpfFd);
    }

    [Fact]
    public void NetfilterPutsItsHookIntoTheLinkAttributes()
    {
        var (kernel, seen) = Kernel();
        using BpfProgram program = Load(kernel, BpfProgramType.Netfilter);

        Assert.Throws<BpfSyscallException>(() =>
            NetfilterLink.Attach(program, NetfilterProtocol.IPv6, NetfilterHook.PostRouting, -42, NetfilterLinkFlags.IpDefrag));

        Assert.Equal((uint)BpfAttachType.Netfilter, seen.Link.AttachType);
        Assert.Equal(0u, seen.Link.TargetFd);
        Assert.Equal(10u, seen.Link.NetfilterPf);
        Assert.Equal(4u, seen.Link.NetfilterHooknum);
        Assert.Equal(-42, seen.Link.NetfilterPriority);
        Assert.Equal(1u, seen.Link.NetfilterFlags);
    }

    [Fact]
    public void AnchorsOfTheWrongKindAreRefusedBeforeTheKernel()
    {
        var (kernel, _) = Kernel();
        using BpfProgram program = Load(kernel, BpfProgramType.CgroupSkb);
        using var cgroup = new BpfFileDescriptor(CgroupFd, kernel);
        using BpfLink anchor = BpfLink.FromId(7, kernel);

        Assert.Throws<ArgumentException>(() => CgroupLink.Attach(program, cgroup, CgroupHook.Egress, CgroupOrder.Before(program)));
        Assert.Throws<ArgumentException>(() => CgroupProgram.Attach(program, cgroup, CgroupHook.Egress, CgroupAttachMode.Multi, order: CgroupOrder.Before(anchor)));
        Assert.Throws<ArgumentException>(() => CgroupProgram.Attach(program, cgroup, CgroupHook.Egress, CgroupAttachMode.Exclusive, replace: program));
        Assert.DoesNotContain(BpfCommand.LinkCreate, kernel.Commands);
        Assert.DoesNotContain(BpfCommand.ProgAttach, kernel.Commands);
    }

    [Fact]
    public void OrdersDescribeThemselves()
    {
        Assert.Equal("last", CgroupOrder.Last.ToString());
        Assert.Equal("before all", CgroupOrder.First.ToString());
        Assert.Equal("after link id 5 at revision 3", (CgroupOrder.AfterLinkId(5) with { ExpectedRevision = 3 }).ToString());
        Assert.Equal("before program id 8", CgroupOrder.BeforeId(8).ToString());
    }
}
