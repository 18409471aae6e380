using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Objects;
using BpfSharp.Tests.CgroupsAndSockets;
using BpfSharp.Tests.Support;
using Xunit;

namespace BpfSharp.Tests.AttachAll;

/// <summary>
/// <see cref="BpfObject.AttachAll"/> registers an object's struct_ops maps: a <c>.struct_ops.link</c> map by a link the
/// object owns, a <c>.struct_ops</c> map by writing its value. Both TCP congestion controls become available and run
/// for a connection that selects them; disposing the object unregisters both.
/// </summary>
public class StructOpsAttachAllTests
{
    [Fact]
    public void BothStructOpsMapsRegisterAndLeaveWithTheObject()
    {
        Kernel.Require();
        string linked = StructOpsTests.UniqueName("bsaa"), legacy = StructOpsTests.UniqueName("bsal");
        string objectFile = BpfC.Compile("struct_ops.bpf.c", [$"-DCC_NAME=\"{linked}\"", $"-DCC_LEGACY_NAME=\"{legacy}\""]);

        using (BpfObject obj = BpfObject.Load(objectFile))
        {
            Assert.DoesNotContain(linked, StructOpsTests.AvailableAlgorithms());

            AttachAllResult result = obj.AttachAll();

            AttachedProgram byLink = result.Attached.Single(a => a.Name == "cc_linked");
            AttachedProgram byValue = result.Attached.Single(a => a.Name == "cc_legacy");
            Assert.Equal(BpfLinkType.StructOps, byLink.Link!.GetInfo().Type);
            Assert.Same(byLink.Link, obj.Links["cc_linked"]);
            Assert.Null(byValue.Link);
            Assert.NotNull(byValue.Group);
            // The struct_ops programs themselves attach through their maps, not by section.
            Assert.All(result.Skipped, s => Assert.StartsWith("struct_ops/", s.SectionName));
            Assert.Equal(2, result.Attached.Count);

            string[] available = StructOpsTests.AvailableAlgorithms();
            Assert.Contains(linked, available);
            Assert.Contains(legacy, available);
            Assert.Equal(linked, StructOpsTests.TransferWith(linked));
            Assert.Equal(legacy, StructOpsTests.TransferWith(legacy));
            Assert.True(obj.GetGlobal<ulong>("inits_linked") >= 1, "the linked congestion control's init ran");
            Assert.True(obj.GetGlobal<ulong>("inits_legacy") >= 1, "the legacy congestion control's init ran");
        }

        string[] after = StructOpsTests.AvailableAlgorithms();
        Assert.DoesNotContain(linked, after);
        Assert.DoesNotContain(legacy, after);
    }
}
