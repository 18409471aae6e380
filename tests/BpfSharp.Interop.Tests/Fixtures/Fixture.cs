using BpfSharp.Abi;

namespace BpfSharp.Interop.Tests.Fixtures;

/// <summary>
/// One C fixture and what loading it must give on this kernel (Linux 6.18 in the sandbox).
/// </summary>
/// <param name="Name">The file name without <c>.bpf.c</c>.</param>
/// <param name="Covers">What the fixture exercises, in a few words.</param>
public sealed record Fixture(string Name, string Covers)
{
    /// <summary>
    /// Null when a correct loader loads the object here. Otherwise the errno the kernel refuses it with whichever loader is
    /// used (e.g. EPERM for trampoline programs in this sandbox): then both loaders must be refused alike.
    /// </summary>
    public Errno? KernelRefuses { get; init; }

    /// <summary>
    /// Null when libbpf 1.1 does what the kernel allows (loads it, or is refused with <see cref="KernelRefuses"/>). Otherwise
    /// why libbpf 1.1 cannot load this object: the comparison then checks only our loader.
    /// </summary>
    public Libbpf11Limit? Libbpf11CannotLoad { get; init; }

    /// <summary>Non-null when <c>bpftool prog loadall</c> (7.1, with its own built-in libbpf) cannot serve as a reference for this fixture, and why.</summary>
    public string? BpftoolCannotLoad { get; init; }

    /// <summary>The compiled object (compiled on first use, see <see cref="FixtureCompiler"/>).</summary>
    public string ObjectPath => FixtureCompiler.Compile(Name);

    /// <summary>"Name → covers → libbpf result", as in the fixture table.</summary>
    public string LibbpfResult =>
        Libbpf11CannotLoad is { } limit ? $"libbpf 1.1 cannot load: {limit.Reason}"
        : KernelRefuses is { } errno ? $"refused by the kernel with {errno}"
        : "loads";

    public override string ToString() => Name;
}

/// <summary>Why libbpf 1.1 cannot load a fixture, and a fragment of its log (or of the kernel's, quoted by it) that shows it.</summary>
public sealed record Libbpf11Limit(string Reason, string LogSays);
