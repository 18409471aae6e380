namespace BpfSharp.Kernel;

/// <summary>
/// Makes a static method of a <see cref="BpfModuleAttribute">[BpfModule]</see> class an eBPF program in an explicit
/// ELF section, for kinds without a dedicated attribute (e.g. <c>[Program("sk_skb/stream_verdict")]</c>); the name
/// must be one of libbpf's SEC conventions. Also the base of the dedicated attributes (<see cref="XdpAttribute"/>,
/// <see cref="TracepointAttribute"/>, …), each of which fixes the section, hence the program type and the context
/// parameter the method takes.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public class ProgramAttribute : Attribute
{
    /// <summary>A program in section <paramref name="section"/> (libbpf's SEC name, e.g. <c>sk_msg</c>).</summary>
    public ProgramAttribute(string section) => Section = section;

    private protected ProgramAttribute() { }

    /// <summary>The explicit section name; null for the dedicated attributes, whose section the compiler derives.</summary>
    public string? Section { get; }

    /// <summary>
    /// What the program returns when its C# would have thrown (integer division by zero, <c>checked</c> overflow,
    /// an explicit <c>throw</c>): the program exits at once with this value. Default 0.
    /// </summary>
    public int ExceptionReturn { get; set; }
}
