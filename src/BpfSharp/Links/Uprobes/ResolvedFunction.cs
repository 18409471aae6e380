using BpfSharp.Elf;

namespace BpfSharp.Links.Uprobes;

/// <summary>A function found in a binary, with the file offset a uprobe on its first instruction needs.</summary>
/// <param name="Name">The symbol's name as found, with its version when it has one (<c>malloc@@GLIBC_2.2.5</c>).</param>
/// <param name="Address">Its virtual address (relative to the load base for shared objects and PIE).</param>
/// <param name="FileOffset">Where its first instruction is in the file: what the kernel's uprobe takes.</param>
/// <param name="Size">Its size in bytes (0 when the symbol table does not say).</param>
/// <param name="Binding">Local (static), global or weak.</param>
/// <param name="IsIndirect">
/// An <c>STT_GNU_IFUNC</c> symbol: the address is the resolver that picks an implementation (e.g. an AVX2 memcpy) when the
/// library is loaded, so a probe there fires once per process at load time, not per call. Probe the implementation
/// (<c>__memcpy_avx_unaligned</c>…) instead when the library's full symbol table has it.
/// </param>
public sealed record ResolvedFunction(string Name, ulong Address, ulong FileOffset, ulong Size, ElfSymbolBinding Binding, bool IsIndirect)
{
    public override string ToString() => $"{Name} at 0x{Address:x} (file offset 0x{FileOffset:x})";
}
