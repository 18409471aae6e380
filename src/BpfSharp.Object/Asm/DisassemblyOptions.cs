namespace BpfSharp.Asm;

/// <summary>Name lookups and settings for <see cref="Disassembler"/>, mirroring the kernel's disassembler callbacks.</summary>
public sealed class DisassemblyOptions
{
    /// <summary>Options with no lookups: helper calls print as <c>call unknown#N</c>.</summary>
    public static DisassemblyOptions Default { get; } = new();

    /// <summary>Names a helper id (for example 1 → <c>bpf_map_lookup_elem</c>), or returns null when unknown.</summary>
    public Func<int, string?>? HelperName { get; init; }

    /// <summary>Names the target of any call the helper table does not name (kfuncs, subprograms), or returns null.</summary>
    public Func<Instruction, string?>? CallName { get; init; }

    /// <summary>Formats the 64-bit immediate of a <c>ld_imm64</c> (for example as <c>map[id:3]</c>); by default it prints as hex.</summary>
    public Func<Instruction, ulong, string>? FormatImmediate { get; init; }

    /// <summary>Print 0 instead of the map fd or value of pointer-producing <c>ld_imm64</c> forms, as the verifier does for unprivileged users.</summary>
    public bool HidePointers { get; init; }
}
