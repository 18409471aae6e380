using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Unit;

public class ParsingTests
{
    [Theory]
    [InlineData("0", 1)]
    [InlineData("0-1\n", 2)]
    [InlineData("0-3", 4)]
    [InlineData("0,2-5", 6)]
    [InlineData("0-1,4", 5)]
    public void PossibleCpuListCountsUpToTheHighestCpu(string list, int expected) =>
        Assert.Equal(expected, PossibleCpus.Parse(list));

    [Theory]
    [InlineData("")]
    [InlineData("a-b")]
    public void MalformedCpuListsAreRejected(string list) =>
        Assert.Throws<FormatException>(() => PossibleCpus.Parse(list));

    [Theory]
    [InlineData(BpfCommand.MapCreate, "BPF_MAP_CREATE")]
    [InlineData(BpfCommand.MapLookupAndDeleteBatch, "BPF_MAP_LOOKUP_AND_DELETE_BATCH")]
    [InlineData(BpfCommand.ObjGetInfoByFd, "BPF_OBJ_GET_INFO_BY_FD")]
    public void CommandNamesMatchTheKernelSpelling(BpfCommand command, string name) =>
        Assert.Equal(name, BpfSyscallException.CommandName(command));

    [Fact]
    public void ErrnoNamesIncludeTheKernelInternalEnotsupp()
    {
        Assert.Equal("EPERM", ErrnoNames.Name(1));
        Assert.Equal("ENOTSUPP", ErrnoNames.Name(524));
        Assert.Equal("errno 9999", ErrnoNames.Name(9999));
    }

    [Fact]
    public void GeneratedAbiMatchesTheKernelLayout()
    {
        // Sizes the kernel's bpf_attr members and info structs have on 6.x (checked against the UAPI header).
        Assert.Equal(32, System.Runtime.CompilerServices.Unsafe.SizeOf<MapElemAttr>());
        Assert.Equal(56, System.Runtime.CompilerServices.Unsafe.SizeOf<MapBatchAttr>());
        Assert.Equal(8, System.Runtime.InteropServices.Marshal.OffsetOf<MapElemAttr>(nameof(MapElemAttr.Key)).ToInt32());
        Assert.Equal(16, System.Runtime.InteropServices.Marshal.OffsetOf<MapElemAttr>(nameof(MapElemAttr.Value)).ToInt32());
        Assert.Equal("bpf_map_lookup_elem", BpfHelperNames.Get((int)BpfHelperId.MapLookupElem));
        Assert.Equal(1, (int)BpfHelperId.MapLookupElem);
        Assert.Equal(33u, (uint)BpfMapType.Arena);
    }
}
