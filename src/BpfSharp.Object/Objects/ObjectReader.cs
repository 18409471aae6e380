namespace BpfSharp.Objects;

/// <summary>
/// Reads an eBPF ELF object (as clang or the BpfSharp compiler writes it) into an <see cref="ObjectSpec"/>, the
/// way libbpf's <c>bpf_object__open</c> does: programs typed by their SEC names and linked with their
/// subprograms, maps from <c>.maps</c>, <c>maps</c> and the global-data sections, externs, and the BTF with the
/// fix-ups the kernel needs.
/// </summary>
public static class ObjectReader
{
    /// <summary>Reads an object from memory; <paramref name="name"/> becomes <see cref="ObjectSpec.Name"/> as given.</summary>
    /// <exception cref="BpfFormatException">
    /// The ELF (<see cref="Elf.ElfFormatException"/>), BTF (<see cref="Btf.BtfFormatException"/>), bytecode
    /// (<see cref="Asm.BpfAsmException"/>) or content (<see cref="ObjectFormatException"/>) is unusable.
    /// </exception>
    public static ObjectSpec Read(ReadOnlySpan<byte> elf, string name) => new ObjectParser(elf.ToArray(), name).Parse();

    /// <summary>Reads an object file; its name is the file name up to the first '.', as libbpf names objects.</summary>
    /// <inheritdoc cref="Read(ReadOnlySpan{byte}, string)" path="/exception"/>
    public static ObjectSpec ReadFile(string path) => new ObjectParser(File.ReadAllBytes(path), ObjectName(path)).Parse();

    /// <summary>libbpf's object name for a path: the file name without directory, cut at its first '.'.</summary>
    public static string ObjectName(string path)
    {
        string file = Path.GetFileName(path);
        int dot = file.IndexOf('.');
        return dot >= 0 ? file[..dot] : file;
    }
}
