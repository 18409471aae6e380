namespace BpfSharp.Kernel;

/// <summary>
/// Marks a struct whose layout is the kernel's own (a program context such as <c>xdp_md</c>): the compiler names it
/// <see cref="Name"/> in BTF, so the verifier recognises a program's context argument, and tests compare its field
/// offsets with the running kernel's BTF.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class KernelStructAttribute(string name) : Attribute
{
    /// <summary>The C struct's name, e.g. <c>__sk_buff</c>.</summary>
    public string Name { get; } = name;
}
