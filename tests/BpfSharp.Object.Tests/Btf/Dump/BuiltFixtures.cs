using System.Collections.Concurrent;
using BpfSharp.Btf;

namespace BpfSharp.Object.Tests.Btf.Dump;

/// <summary>A fixture compiled (and linked) once per test run: the object, its raw .BTF blob and the parsed spec.</summary>
sealed record BuiltFixture(CFixture Fixture, string ObjectPath, string BlobPath, BtfSpec Spec);

static class BuiltFixtures
{
    static readonly TempDirectory directory = new();
    static readonly ConcurrentDictionary<string, Lazy<BuiltFixture>> builds = new();
    static readonly Lazy<BtfSpec> kernel = new(BtfSpec.LoadKernel);

    static BuiltFixtures() => AppDomain.CurrentDomain.ProcessExit += (_, _) => directory.Dispose();

    public static TempDirectory Directory => directory;

    public static CFixture Named(string name) => CFixtures.All.Single(f => f.Name == name);

    /// <summary>Compiles the fixture; skips (or fails under CI) when clang, llvm-objcopy or bpftool are missing.</summary>
    public static BuiltFixture Get(string name)
    {
        Toolchain.Require(Toolchain.Clang, Toolchain.ObjCopy, Toolchain.Bpftool);
        return builds.GetOrAdd(name, n => new Lazy<BuiltFixture>(() => Build(Named(n)))).Value;
    }

    public static BtfSpec Kernel()
    {
        Toolchain.RequireKernelBtf();
        return kernel.Value;
    }

    static BuiltFixture Build(CFixture fixture)
    {
        string[] objects = fixture.Sources
            .Select((source, i) => Toolchain.CompileBpf(directory, fixture.Sources.Length == 1 ? fixture.Name : $"{fixture.Name}_{i}", source))
            .ToArray();
        string objectPath = objects[0];
        if (objects.Length > 1)
        {
            objectPath = Path.Combine(directory.Path, fixture.Name + ".o");
            Toolchain.Run(Toolchain.Bpftool, ["gen", "object", objectPath, .. objects]);
        }
        string blob = Toolchain.ExtractBtf(objectPath);
        return new BuiltFixture(fixture, objectPath, blob, BtfSpec.Parse(File.ReadAllBytes(blob)));
    }
}
