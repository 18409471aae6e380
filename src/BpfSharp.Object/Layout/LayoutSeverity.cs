namespace BpfSharp.Layout;

/// <summary>How bad a <see cref="LayoutViolation"/> is.</summary>
public enum LayoutSeverity
{
    /// <summary>The type cannot be a map key or value; <see cref="MapTypeRules.Validate{T}"/> throws.</summary>
    Error,

    /// <summary>The type works, but costs something worth knowing (e.g. unaligned reads in the BPF program).</summary>
    Warning,
}
