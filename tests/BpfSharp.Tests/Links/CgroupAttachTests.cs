using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Links;

public class CgroupAttachTests
{
    const BpfAttachType Egress = BpfAttachType.CgroupInetEgress;

    /// <summary>cgroup_skb: counts[0] += 1 per packet, then returns <paramref name="verdict"/> (1 allow, 0 drop).</summary>
    static BpfProgram Counter(ArrayMap<ulong> counts, int verdict, string name) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.CgroupSkb,
        Name = name,
        ExpectedAttachType = Egress,
        Instructions = new Assembler()
            .Increment(counts, 0, "out")
            .Mov(R0, verdict)
            .Exit()
            .Build(),
    });

    static BpfProgram Verdict(int verdict, string name) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.CgroupSkb,
        Name = name,
        Instructions = new Assembler().Mov(R0, verdict).Exit().Build(),
    });

    static uint Id(BpfProgram p) => p.GetInfo().Id;

    /// <summary>A UDP datagram to the discard port on loopback, sent by bash's /dev/udp from inside the cgroup.</summary>
    const string SendUdp = "echo hello > /dev/udp/127.0.0.1/9";

    [Fact]
    public void ProgAttachQueryReplaceDetach()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfProgram a = Verdict(1, "allow_a"), b = Verdict(1, "allow_b"), c = Verdict(1, "allow_c");

        ProgramQueryResult empty = BpfProgram.Query(cg.Fd, Egress);
        Assert.Empty(empty.ProgramIds);

        a.Attach(cg.Fd, Egress, ProgramAttachFlags.AllowMulti);
        b.Attach(cg.Fd, Egress, ProgramAttachFlags.AllowMulti);
        ProgramQueryResult two = BpfProgram.Query(cg.Fd, Egress);
        Assert.Equal([Id(a), Id(b)], two.ProgramIds);
        Assert.Equal(ProgramAttachFlags.AllowMulti, two.AttachFlags);
        Assert.Equal([ProgramAttachFlags.AllowMulti, ProgramAttachFlags.AllowMulti], two.ProgramAttachFlags);

        c.Attach(cg.Fd, Egress, ProgramAttachFlags.AllowMulti, replace: a);
        ProgramQueryResult replaced = BpfProgram.Query(cg.Fd, Egress);
        Assert.Equal([Id(c), Id(b)], replaced.ProgramIds);

        // Attaching the same program twice at one hook is refused (EINVAL, not EEXIST).
        var dup = Assert.Throws<BpfSyscallException>(() => b.Attach(cg.Fd, Egress, ProgramAttachFlags.AllowMulti));
        Assert.Equal(BpfCommand.ProgAttach, dup.Command);
        Assert.Equal(Errno.EINVAL, dup.Errno);
        Assert.Contains("already attached", dup.Hint);

        c.Detach(cg.Fd, Egress);
        Assert.Equal([Id(b)], BpfProgram.Query(cg.Fd, Egress).ProgramIds);
        b.Detach(cg.Fd, Egress);
        Assert.Empty(BpfProgram.Query(cg.Fd, Egress).ProgramIds);

        var gone = Assert.Throws<BpfSyscallException>(() => b.Detach(cg.Fd, Egress));
        Assert.Equal(BpfCommand.ProgDetach, gone.Command);
        Assert.Equal(Errno.ENOENT, gone.Errno);
    }

    [Fact]
    public void ProgAttachOutlivesTheProgramHandleUntilDetached()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        uint id;
        using (BpfProgram a = Verdict(1, "outlive"))
        {
            a.Attach(cg.Fd, Egress);
            id = Id(a);
        }
        Assert.Equal([id], BpfProgram.Query(cg.Fd, Egress).ProgramIds);
        using BpfProgram again = BpfProgram.FromId(id);
        again.Detach(cg.Fd, Egress);
        Assert.Empty(BpfProgram.Query(cg.Fd, Egress).ProgramIds);
    }

    [Fact]
    public void EffectiveQueryShowsTheParentsPrograms()
    {
        Kernel.Require();
        using var parent = new TempCgroup();
        string childPath = Path.Combine(parent.Path, "child");
        Directory.CreateDirectory(childPath);
        try
        {
            using var child = BpfSharp.Links.Cgroup.Open(childPath);
            using BpfProgram a = Verdict(1, "inherit");
            a.Attach(parent.Fd, Egress, ProgramAttachFlags.AllowMulti);
            try
            {
                Assert.Empty(BpfProgram.Query(child, Egress).ProgramIds);
                ProgramQueryResult effective = BpfProgram.Query(child, Egress, ProgramQueryFlags.Effective);
                Assert.Equal([Id(a)], effective.ProgramIds);
                Assert.Empty(effective.ProgramAttachFlags);
            }
            finally
            {
                a.Detach(parent.Fd, Egress);
            }
        }
        finally
        {
            Directory.Delete(childPath);
        }
    }

    [Fact]
    public void LinkCreateUpdateDetach()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using var counts = ArrayMap<ulong>.Create(1, "cg_count");
        using BpfProgram allow = Counter(counts, 1, "cg_allow"), deny = Counter(counts, 0, "cg_deny");

        using BpfLink link = BpfLink.Create(allow, cg.Fd, Egress);

        Assert.Equal([Id(allow)], BpfProgram.Query(cg.Fd, Egress).ProgramIds);
        LinkInfo info = link.GetInfo();
        Assert.Equal(BpfLinkType.Cgroup, info.Type);
        Assert.Equal(Id(allow), info.ProgramId);
        Assert.Equal(Egress, info.AttachType);
        Assert.Equal(cg.Id, info.CgroupId);
        Assert.Contains(info.Id, BpfLink.EnumerateIds());

        // Traffic from a process inside the cgroup runs the program, which lets it through.
        var sent = cg.RunInside(SendUdp);
        Assert.True(sent.ExitCode == 0, sent.Output);
        ulong afterAllow = counts[0];
        Assert.True(afterAllow >= 1, "the egress program counted the datagram");

        // Swap in the dropping program: the next send fails, and the count still grows.
        link.Update(deny);
        Assert.Equal([Id(deny)], BpfProgram.Query(cg.Fd, Egress).ProgramIds);
        Assert.Equal(Id(deny), link.GetInfo().ProgramId);
        var dropped = cg.RunInside(SendUdp);
        Assert.NotEqual(0, dropped.ExitCode);
        Assert.Contains("Operation not permitted", dropped.Output);
        Assert.True(counts[0] > afterAllow);

        // A replace that names the wrong old program is refused; the right one swaps back.
        var wrong = Assert.Throws<BpfSyscallException>(() => link.Update(allow, expectedOld: allow));
        Assert.Equal(BpfCommand.LinkUpdate, wrong.Command);
        Assert.Equal(Errno.EPERM, wrong.Errno);
        Assert.Contains("expected old", wrong.Hint);
        link.Update(allow, expectedOld: deny);
        Assert.Equal(Id(allow), link.GetInfo().ProgramId);

        link.Detach();
        Assert.Empty(BpfProgram.Query(cg.Fd, Egress).ProgramIds);
        LinkInfo defunct = link.GetInfo();
        Assert.Equal(0ul, defunct.CgroupId);
        Assert.Equal(info.Id, defunct.Id);
        var afterDetach = cg.RunInside(SendUdp);
        Assert.True(afterDetach.ExitCode == 0, afterDetach.Output);
    }

    [Fact]
    public void ClosingTheLinkDetachesIt()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfProgram deny = Verdict(0, "cg_close");

        using (BpfLink.Create(deny, cg.Fd, Egress))
        {
            Assert.Equal([Id(deny)], BpfProgram.Query(cg.Fd, Egress).ProgramIds);
            Assert.NotEqual(0, cg.RunInside(SendUdp).ExitCode);
        }

        Assert.Empty(BpfProgram.Query(cg.Fd, Egress).ProgramIds);
        Assert.Equal(0, cg.RunInside(SendUdp).ExitCode);
    }

    [Fact]
    public void QueryRevisionGrowsWithEveryChange()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfProgram a = Verdict(1, "rev");

        ulong r0 = BpfProgram.Query(cg.Fd, Egress).Revision;
        a.Attach(cg.Fd, Egress, ProgramAttachFlags.AllowMulti);
        ulong r1 = BpfProgram.Query(cg.Fd, Egress).Revision;
        a.Detach(cg.Fd, Egress);
        ulong r2 = BpfProgram.Query(cg.Fd, Egress).Revision;

        Assert.True(r1 > r0 && r2 > r1, $"revisions {r0}, {r1}, {r2}");
    }

    [Fact]
    public void AWrongAttachTypeIsEinval()
    {
        Kernel.Require();
        using var cg = new TempCgroup();
        using BpfProgram skb = Verdict(1, "wrong_type");

        // A cgroup_skb program at a cgroup/sock hook.
        var legacy = Assert.Throws<BpfSyscallException>(() => skb.Attach(cg.Fd, BpfAttachType.CgroupInetSockCreate));
        Assert.Equal(BpfCommand.ProgAttach, legacy.Command);
        Assert.Equal(Errno.EINVAL, legacy.Errno);
        Assert.Equal("BPF_PROG_ATTACH", legacy.Syscall);

        var link = Assert.Throws<BpfSyscallException>(() => BpfLink.Create(skb, cg.Fd, BpfAttachType.CgroupInetSockCreate));
        Assert.Equal(BpfCommand.LinkCreate, link.Command);
        Assert.Equal(Errno.EINVAL, link.Errno);
        Assert.Contains("wrong_type", link.Message);

        Assert.Empty(BpfProgram.Query(cg.Fd, BpfAttachType.CgroupInetSockCreate).ProgramIds);
    }

    [Fact]
    public void OpeningAMissingCgroupNamesThePath()
    {
        Kernel.Require();
        string path = Path.Combine(BpfSharp.Links.Cgroup.DefaultRoot, Kernel.UniqueName("missing"));
        var e = Assert.Throws<BpfSyscallException>(() => BpfSharp.Links.Cgroup.Open(path));
        Assert.Equal("open", e.Syscall);
        Assert.Null(e.Command);
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Contains(path, e.Message);
    }
}
