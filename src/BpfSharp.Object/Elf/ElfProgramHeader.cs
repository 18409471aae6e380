namespace BpfSharp.Elf;

/// <summary><c>p_type</c>: what a program header (segment) describes.</summary>
public enum ElfSegmentType : uint
{
    Null = 0,
    /// <summary><c>PT_LOAD</c>: bytes of the file mapped into memory.</summary>
    Load = 1,
    Dynamic = 2,
    Interpreter = 3,
    Note = 4,
    ProgramHeaders = 6,
    Tls = 7,
    GnuEhFrame = 0x6474e550,
    GnuStack = 0x6474e551,
    GnuRelro = 0x6474e552,
    GnuProperty = 0x6474e553,
}

/// <summary><c>p_flags</c>: the access a segment is mapped with.</summary>
[Flags]
public enum ElfSegmentFlags : uint
{
    None = 0,
    Execute = 1,
    Write = 2,
    Read = 4,
}

/// <summary>One program header (<c>Elf64_Phdr</c>) of an executable or shared object.</summary>
/// <param name="Index">Its position in the program header table.</param>
/// <param name="Type"><c>p_type</c>.</param>
/// <param name="Flags"><c>p_flags</c>.</param>
/// <param name="Offset"><c>p_offset</c>: where the segment's bytes start in the file.</param>
/// <param name="VirtualAddress"><c>p_vaddr</c>: where they are mapped (relative to the load base for ET_DYN).</param>
/// <param name="FileSize"><c>p_filesz</c>.</param>
/// <param name="MemorySize"><c>p_memsz</c>: at least <paramref name="FileSize"/>; the rest is zero-filled (.bss).</param>
/// <param name="Alignment"><c>p_align</c>.</param>
public readonly record struct ElfProgramHeader(
    int Index,
    ElfSegmentType Type,
    ElfSegmentFlags Flags,
    ulong Offset,
    ulong VirtualAddress,
    ulong FileSize,
    ulong MemorySize,
    ulong Alignment)
{
    public bool IsExecutable => (Flags & ElfSegmentFlags.Execute) != 0;

    /// <summary>True when <paramref name="address"/> lies in the segment's memory image.</summary>
    public bool Contains(ulong address) => address >= VirtualAddress && address - VirtualAddress < MemorySize;

    public override string ToString() =>
        $"segment {Index} {Type} [0x{VirtualAddress:x}, 0x{VirtualAddress + MemorySize:x}) at file offset 0x{Offset:x} ({Flags})";
}
