namespace BpfSharp.Objects;

/// <summary>
/// An eBPF object whose ELF and BTF are well formed but whose content cannot be used: a map definition, a
/// relocation, an extern or a program that breaks libbpf's conventions. The message names the map, program,
/// section, instruction or symbol and says how to fix it.
/// </summary>
public sealed class ObjectFormatException(string message) : BpfFormatException(message);
