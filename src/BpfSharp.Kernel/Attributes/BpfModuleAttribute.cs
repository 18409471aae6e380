namespace BpfSharp.Kernel;

/// <summary>
/// Marks a static class as one eBPF object: its program methods, <see cref="MapAttribute">[Map]</see> fields and
/// other static fields (globals) become <c>NAME.bpf.o</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BpfModuleAttribute : Attribute
{
    /// <summary>The license the kernel sees; GPL-only helpers need a GPL-compatible one. Default <c>GPL</c>.</summary>
    public string License { get; set; } = "GPL";
}
