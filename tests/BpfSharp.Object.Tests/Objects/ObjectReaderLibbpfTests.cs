using BpfSharp.Object.Tests.Elf;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Objects;

/// <summary>Each sample is read by us and by libbpf 1.1; programs, linked instructions, maps and fixed-up BTF must agree.</summary>
public class ObjectReaderLibbpfTests
{
    [Theory]
    [MemberData(nameof(Samples))]
    public void WeReadWhatLibbpfReads(string name)
    {
        byte[] bytes = Toolchain.CompileBytes(ObjectSamples.All[name]);
        ObjectSpec spec = ObjectReader.Read(bytes, name);
        Assert.NotEmpty(spec.Programs);
        LibbpfComparison.AssertSame(spec, Libbpf.Open(bytes));
    }

    public static TheoryData<string> Samples() => [.. ObjectSamples.All.Keys.Where(k => !ObjectSamples.NotForLibbpf11.Contains(k))];
}
