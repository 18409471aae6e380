namespace BpfSharp.Asm;

/// <summary>What a <c>call</c> instruction calls, selected by its source register field.</summary>
public enum CallKind : byte
{
    /// <summary>A helper function; the immediate is its id.</summary>
    Helper = 0,
    /// <summary>A BPF subprogram (<c>BPF_PSEUDO_CALL</c>); the immediate is the relative instruction offset.</summary>
    Subprogram = 1,
    /// <summary>A kernel function (<c>BPF_PSEUDO_KFUNC_CALL</c>); the immediate is its BTF id, the offset the fd-array index of its BTF.</summary>
    Kfunc = 2,
}
