namespace BpfSharp.Elf;

/// <summary><c>sh_type</c>: what a section holds.</summary>
public enum ElfSectionType : uint
{
    Null = 0,
    ProgBits = 1,
    SymbolTable = 2,
    StringTable = 3,
    RelocationsWithAddends = 4,
    Hash = 5,
    Dynamic = 6,
    Note = 7,
    NoBits = 8,
    Relocations = 9,
    DynamicSymbols = 11,
    InitArray = 14,
    FiniArray = 15,
    Group = 17,
    SymbolTableIndices = 18,
    /// <summary><c>SHT_GNU_verdef</c>: the versions a shared object defines (<c>GLIBC_2.2.5</c>…).</summary>
    GnuVersionDefinitions = 0x6ffffffd,
    /// <summary><c>SHT_GNU_verneed</c>: the versions a file needs from other shared objects.</summary>
    GnuVersionNeeds = 0x6ffffffe,
    /// <summary><c>SHT_GNU_versym</c>: one 16-bit version index per dynamic symbol.</summary>
    GnuVersionSymbols = 0x6fffffff,
    /// <summary><c>SHT_LLVM_ADDRSIG</c>: the symbols whose address is taken (clang writes it; loaders ignore it).</summary>
    LlvmAddrsig = 0x6fff4c03,
}

/// <summary><c>sh_flags</c>.</summary>
[Flags]
public enum ElfSectionFlags : ulong
{
    None = 0,
    Write = 0x1,
    Alloc = 0x2,
    ExecInstr = 0x4,
    Merge = 0x10,
    Strings = 0x20,
    InfoLink = 0x40,
    LinkOrder = 0x80,
    Group = 0x200,
    Tls = 0x400,
    Compressed = 0x800,
    Exclude = 0x80000000,
}

/// <summary>The type half of <c>st_info</c>.</summary>
public enum ElfSymbolType : byte
{
    NoType = 0,
    Object = 1,
    Func = 2,
    Section = 3,
    File = 4,
    Common = 5,
    Tls = 6,
    /// <summary><c>STT_GNU_IFUNC</c>: the symbol's address is a resolver that returns the real function's address at load time.</summary>
    GnuIndirectFunction = 10,
}

/// <summary>The binding half of <c>st_info</c>.</summary>
public enum ElfSymbolBinding : byte
{
    Local = 0,
    Global = 1,
    Weak = 2,
}

/// <summary>The visibility in <c>st_other</c>.</summary>
public enum ElfSymbolVisibility : byte
{
    Default = 0,
    Internal = 1,
    Hidden = 2,
    Protected = 3,
}

/// <summary>Relocation types of EM_BPF (<c>R_BPF_*</c>).</summary>
public enum BpfRelocationType : uint
{
    None = 0,
    /// <summary><c>R_BPF_64_64</c>: the 64-bit immediate of a <c>ld_imm64</c>.</summary>
    Imm64 = 1,
    /// <summary><c>R_BPF_64_ABS64</c>: a 64-bit data word (e.g. a pointer in <c>.maps</c>).</summary>
    Abs64 = 2,
    /// <summary><c>R_BPF_64_ABS32</c>: a 32-bit data word (DWARF, <c>.BTF</c>, <c>.BTF.ext</c>).</summary>
    Abs32 = 3,
    /// <summary><c>R_BPF_64_NODYLD32</c>: a 32-bit word that is not relocated at load time.</summary>
    NoDyld32 = 4,
    /// <summary><c>R_BPF_64_32</c>: the 32-bit immediate of a <c>call</c>.</summary>
    Call32 = 10,
}

/// <summary>ELF numbers that have no better home.</summary>
public static class ElfConstants
{
    /// <summary><c>EM_BPF</c>.</summary>
    public const ushort MachineBpf = 247;
    /// <summary><c>EM_NONE</c>: old clang wrote it on BPF objects; libbpf accepts it, so do we.</summary>
    public const ushort MachineNone = 0;
    /// <summary><c>ET_REL</c>: a relocatable object.</summary>
    public const ushort TypeRelocatable = 1;
    /// <summary><c>ET_EXEC</c>: an executable linked at fixed addresses.</summary>
    public const ushort TypeExecutable = 2;
    /// <summary><c>ET_DYN</c>: a shared object or a position-independent executable.</summary>
    public const ushort TypeSharedObject = 3;

    /// <summary><c>SHN_UNDEF</c>: the symbol is not defined here.</summary>
    public const ushort SectionUndefined = 0;
    /// <summary><c>SHN_LORESERVE</c>: section indices at or above this are special.</summary>
    public const ushort SectionReservedStart = 0xff00;
    /// <summary><c>SHN_ABS</c>: the symbol's value is absolute.</summary>
    public const ushort SectionAbsolute = 0xfff1;
    /// <summary><c>SHN_COMMON</c>.</summary>
    public const ushort SectionCommon = 0xfff2;
    /// <summary><c>SHN_XINDEX</c>: the real index is elsewhere (header: in section 0; symbol: in SHT_SYMTAB_SHNDX).</summary>
    public const ushort SectionExtended = 0xffff;

    public const int HeaderSize = 64;
    public const int SectionHeaderSize = 64;
    public const int SymbolSize = 24;
    /// <summary><c>sizeof(Elf64_Phdr)</c>.</summary>
    public const int ProgramHeaderSize = 56;
    public const int RelSize = 16;
    public const int RelaSize = 24;
}
