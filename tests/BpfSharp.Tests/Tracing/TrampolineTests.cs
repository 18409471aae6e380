using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Links;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Tracing;

/// <summary>
/// fentry/fexit/fmod_ret/lsm: the machines these tests run on refuse to load them (EPERM, empty verifier log). The error
/// must say that, not blame memlock. Where the kernel allows them, the same tests attach through a tracing link instead.
/// </summary>
public class TrampolineTests
{
    const string Refusal = "this kernel refuses trampoline-based programs (fentry/fexit/fmod_ret/lsm/freplace): BPF_PROG_LOAD returned EPERM with an empty verifier log; not a memlock limit";

    static uint KernelFunction(string name) =>
        KernelBtf.Vmlinux.Find(name, BpfSharp.Btf.BtfKind.Func)?.Id ?? throw new InvalidOperationException($"no {name} in vmlinux BTF");

    static ProgramLoadOptions Options(BpfProgramType type, BpfAttachType attachType, string function) => new()
    {
        Type = type,
        ExpectedAttachType = attachType,
        AttachBtfId = KernelFunction(function),
        Name = "tramp",
        Instructions = new Assembler().Mov(R0, 0).Exit().Build(),
    };

    [Theory]
    [InlineData(BpfProgramType.Tracing, BpfAttachType.TraceFentry, "do_sys_openat2")]
    [InlineData(BpfProgramType.Tracing, BpfAttachType.TraceFexit, "do_sys_openat2")]
    [InlineData(BpfProgramType.Tracing, BpfAttachType.ModifyReturn, "security_file_open")]
    [InlineData(BpfProgramType.Lsm, BpfAttachType.LsmMac, "bpf_lsm_file_open")]
    public void ATrampolineRefusalSaysSoPlainly(BpfProgramType type, BpfAttachType attachType, string function)
    {
        Kernel.Require();
        BpfProgram program;
        try
        {
            program = BpfProgram.Load(Options(type, attachType, function));
        }
        catch (BpfVerifierException e) when (e.Errno == Errno.EPERM && e.Log.Length == 0)
        {
            Assert.Contains(Refusal, e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ulimit -l unlimited", e.Message);
            Assert.Equal(BpfCommand.ProgLoad, e.Command);
            return;
        }
        // A kernel that allows trampolines: the program attaches as a tracing link.
        using (program)
        using (BpfLink link = BpfLink.Tracing(program, attachType))
        {
            LinkInfo info = link.GetInfo();
            Assert.Equal(BpfLinkType.Tracing, info.Type);
            Assert.Equal(attachType, info.AttachType);
        }
    }

    [Fact]
    public void OtherTracingProgramsAreNotBlamedOnTrampolines()
    {
        // tp_btf and iter are Tracing programs too but use no trampoline; an unrelated EPERM keeps the plain message.
        Assert.Null(TrampolineRefusal.Explain(BpfProgramType.Tracing, BpfAttachType.TraceRawTp, (int)Errno.EPERM, ""));
        Assert.Null(TrampolineRefusal.Explain(BpfProgramType.Tracing, BpfAttachType.TraceIter, (int)Errno.EPERM, ""));
        Assert.Null(TrampolineRefusal.Explain(BpfProgramType.Tracing, BpfAttachType.TraceFentry, (int)Errno.EACCES, ""));
        Assert.Null(TrampolineRefusal.Explain(BpfProgramType.Tracing, BpfAttachType.TraceFentry, (int)Errno.EPERM, "0: R1=ctx()"));
        Assert.NotNull(TrampolineRefusal.Explain(BpfProgramType.Ext, null, (int)Errno.EPERM, ""));
    }

    [Fact]
    public void AnObjectWithTrampolineSectionsFailsToLoadWithThePlainReason()
    {
        Kernel.Require();
        string path = TracingFixtures.Compile("trampolines");
        try
        {
            using BpfObject obj = BpfObject.Load(path);
            // A kernel that allows trampolines: AttachAll attaches all three.
            AttachAllResult result = obj.AttachAll();
            Assert.Equal(3, result.Attached.Count);
        }
        catch (BpfVerifierException e) when (e.Errno == Errno.EPERM)
        {
            Assert.Contains(Refusal, e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("enter_open", e.Message);
        }
    }

    [Fact]
    public void AnObjectLoadsWithoutItsTrampolineProgramsAndAttachAllSaysWhy()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("trampolines"), new ObjectLoadOptions()
            .SetAutoload("enter_open", false).SetAutoload("exit_open", false).SetAutoload("check_open", false));

        AttachAllResult result = obj.AttachAll();

        Assert.Empty(result.Attached);
        Assert.Equal(["check_open", "enter_open", "exit_open"], result.Skipped.Select(s => s.ProgramName).Order());
        Assert.All(result.Skipped, s => Assert.Contains("autoload is off", s.Reason));
    }
}
