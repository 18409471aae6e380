namespace BpfSharp.Elf;

/// <summary>
/// An ELF file that cannot be read as an eBPF object: the message says what is wrong, where (byte offset,
/// section, symbol or relocation index) and what to do about it.
/// </summary>
public sealed class ElfFormatException(string message) : BpfFormatException(message);
