namespace BpfSharp.Elf;

/// <summary>
/// A symbol of an executable or shared object with its name and, for versioned dynamic symbols, its GNU symbol
/// version (<c>malloc@@GLIBC_2.2.5</c>: version <c>GLIBC_2.2.5</c>, the default one).
/// </summary>
/// <param name="Name">The name without any version suffix.</param>
/// <param name="Version">The version name, or null for an unversioned symbol.</param>
/// <param name="IsDefaultVersion">
/// True for the version a plain reference binds to (<c>@@</c>); false for an older version kept for old binaries
/// (<c>@</c>, the versym hidden bit).
/// </param>
/// <param name="Symbol">The raw <c>Elf64_Sym</c>.</param>
/// <param name="Table">Which table it came from: <see cref="ElfSectionType.SymbolTable"/> or <see cref="ElfSectionType.DynamicSymbols"/>.</param>
public readonly record struct NativeSymbol(string Name, string? Version, bool IsDefaultVersion, ElfSymbol Symbol, ElfSectionType Table)
{
    /// <summary>The name as <c>readelf</c> prints it: <c>name</c>, <c>name@VERSION</c> or <c>name@@VERSION</c>.</summary>
    public string VersionedName => Version is null ? Name : $"{Name}{(IsDefaultVersion ? "@@" : "@")}{Version}";

    /// <summary>A function (<c>STT_FUNC</c>) or an indirect function's resolver (<c>STT_GNU_IFUNC</c>).</summary>
    public bool IsFunction => Symbol.Type is ElfSymbolType.Func or ElfSymbolType.GnuIndirectFunction;

    /// <summary>Defined in this file (not an import), at a non-zero address.</summary>
    public bool IsDefined => Symbol.IsInSection && Symbol.Value != 0;

    public override string ToString() => $"{VersionedName} ({Symbol.Type}, {Symbol.Binding}, 0x{Symbol.Value:x})";
}
