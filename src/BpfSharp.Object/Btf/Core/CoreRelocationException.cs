using BpfSharp.Objects;

namespace BpfSharp.Btf.Core;

/// <summary>
/// A CO-RE relocation that cannot be resolved or applied, where libbpf refuses the object too: a malformed access
/// string, an ambiguous match, an instruction that does not hold the value the compiler was expected to put there.
/// (A field or type that merely does not exist in the target is not an error: the instruction is poisoned instead.)
/// </summary>
public sealed class CoreRelocationException : BpfFormatException
{
    internal CoreRelocationException(string message, int relocationIndex, CoreRelocationRecord relocation, Exception? inner = null)
        : base(message, inner)
    {
        RelocationIndex = relocationIndex;
        Relocation = relocation;
    }

    /// <summary>The index of the relocation in the list it came from (libbpf's <c>relo #N</c>).</summary>
    public int RelocationIndex { get; }

    /// <summary>The relocation record.</summary>
    public CoreRelocationRecord Relocation { get; }
}

/// <summary>A failure deep in spec parsing or matching; the relocator adds which relocation it was.</summary>
internal sealed class CoreError(string message) : Exception(message);
