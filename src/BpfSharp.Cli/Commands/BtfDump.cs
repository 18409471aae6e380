using BpfSharp.Btf;
using BpfSharp.Btf.Dump;
using BpfSharp.Elf;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// The BTF of an ELF object (its <c>.BTF</c> section as clang wrote it, as bpftool shows it) or of a raw BTF file,
/// dumped raw or as C, whole or for the named types and what they need.
/// </summary>
static class BtfDump
{
    public static int Run(string path, string format, string[] types)
    {
        byte[] bytes = File.ReadAllBytes(path);
        BtfSpec spec = BtfSpec.Parse(IsElf(bytes) ? BtfSection(bytes, path) : bytes);
        uint[] roots = [.. types.SelectMany(t => Find(spec, t, path))];
        using var output = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 1 << 16);
        if (format == "c")
        {
            if (types.Length > 0) BtfCDumper.WriteHeader(spec, output, roots);
            else BtfCDumper.WriteHeader(spec, output);
        }
        else if (types.Length > 0) BtfRawDumper.Write(spec, output, roots);
        else BtfRawDumper.Write(spec, output);
        return 0;
    }

    static uint[] Find(BtfSpec spec, string idOrName, string path)
    {
        uint[] ids = BtfTypeSelection.Find(spec, idOrName);
        if (ids.Length == 0)
            throw new KeyNotFoundException($"the BTF of {path} has no type '{idOrName}' ({spec.Types.Count - 1} types); give a type id or a name such as 'task_struct' or 'struct task_struct'.");
        return ids;
    }

    static bool IsElf(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    static byte[] BtfSection(byte[] bytes, string path)
    {
        ElfFile elf = ElfFile.Parse(bytes);
        ElfSection section = elf.FindSection(".BTF")
            ?? throw new BpfFormatException($"{path} has no .BTF section: compile it with clang -g to get BTF.");
        return elf.GetData(section).ToArray();
    }
}
