namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>How an attempt to load a whole object ended.</summary>
public enum LoadOutcome
{
    /// <summary>Every map was created and every program (with autoload on) loaded.</summary>
    Loaded,

    /// <summary>A bpf(2) call (map create, program load, BTF load) failed: the kernel said no, with an errno.</summary>
    KernelRefused,

    /// <summary>The loader itself refused before the kernel was asked (unknown section, unsupported map definition, failed relocation).</summary>
    LoaderRefused,
}
