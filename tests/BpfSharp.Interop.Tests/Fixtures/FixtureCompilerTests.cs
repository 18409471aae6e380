using System.Buffers.Binary;
using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Tools;
using Xunit;

namespace BpfSharp.Interop.Tests.Fixtures;

public class FixtureCompilerTests
{
    public static TheoryData<string> Names => new(FixtureCatalog.All.Select(f => f.Name));

    const ushort EmBpf = 247;

    [Theory]
    [MemberData(nameof(Names))]
    public void FixtureCompilesToALittleEndianBpfObjectWithBtf(string name)
    {
        Require.Compiler();

        byte[] elf = File.ReadAllBytes(FixtureCompiler.Compile(name));

        Assert.Equal([0x7f, (byte)'E', (byte)'L', (byte)'F'], elf[..4]);
        Assert.Equal(2, elf[4]);  // ELFCLASS64
        Assert.Equal(1, elf[5]);  // little-endian
        Assert.Equal(EmBpf, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(18)));
        Assert.True(elf.AsSpan().IndexOf(".BTF.ext\0"u8) >= 0, "no .BTF.ext section: compiled without -g?");
    }

    [Fact]
    public void ConcurrentRequestsShareOneCompilation()
    {
        Require.Compiler();

        string[] paths = new string[8];
        Parallel.For(0, paths.Length, i => paths[i] = FixtureCompiler.Compile("cb_loop"));

        Assert.Single(paths.Distinct());
        Assert.True(File.Exists(paths[0]));
        Assert.Equal("cb_loop.bpf.o", Path.GetFileName(paths[0]));
    }

    [Fact]
    public void VmlinuxHeaderComesFromTheRunningKernel()
    {
        Require.Compiler();
        FixtureCompiler.Compile("prog_socket");

        string header = File.ReadAllText(FixtureCompiler.VmlinuxHeader);

        Assert.Contains("struct task_struct {", header);
        Assert.Contains("BPF_MAP_TYPE_ARENA", header);  // 6.9+: the running kernel, not the distribution's headers
    }

    [Fact]
    public void AnUnknownFixtureIsAnErrorNamingTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => FixtureCompiler.Compile("no_such_fixture"));
        Assert.Contains("prog_xdp", e.Message);
    }
}
