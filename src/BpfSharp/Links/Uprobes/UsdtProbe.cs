using System.Buffers.Binary;
using System.Text;
using BpfSharp.Elf;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// One USDT call site, from a <c>.note.stapsdt</c> note (what <c>STAP_PROBEn</c>/<c>DTRACE_PROBEn</c> of
/// <c>&lt;sys/sdt.h&gt;</c> emits): a probe is a provider:name pair, and one probe may have many sites (inlining,
/// several call points), each with its own argument locations.
/// </summary>
/// <param name="Provider">The provider, e.g. <c>libc</c>.</param>
/// <param name="Name">The probe's name, e.g. <c>memory_malloc_retry</c>.</param>
/// <param name="Address">The site's (nop instruction's) virtual address, adjusted for prelinking with <c>.stapsdt.base</c>.</param>
/// <param name="FileOffset">Where that instruction is in the file: what the uprobe is placed on.</param>
/// <param name="SemaphoreAddress">The virtual address of the probe's 16-bit semaphore, 0 when it has none.</param>
/// <param name="SemaphoreOffset">The semaphore's file offset, the uprobe's reference counter; 0 when none.</param>
/// <param name="Arguments">The argument spec as the note has it, e.g. <c>-4@%edi 8@-16(%rbp) -4@$5</c>.</param>
public sealed record UsdtProbe(string Provider, string Name, ulong Address, ulong FileOffset, ulong SemaphoreAddress, ulong SemaphoreOffset, string Arguments)
{
    /// <summary>The note's owner name and type for SystemTap probe descriptors (<c>NT_STAPSDT</c>).</summary>
    const string NoteOwner = "stapsdt";
    const uint NoteType = 3;

    /// <summary>Every USDT site in <paramref name="elf"/>, in note order; empty when it has no <c>.note.stapsdt</c> section.</summary>
    /// <exception cref="UprobeTargetException">A note is malformed or names an address no loadable segment maps.</exception>
    public static IReadOnlyList<UsdtProbe> ReadAll(NativeElfFile elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        IReadOnlyList<ElfNote> notes;
        try
        {
            notes = elf.ReadNotes(".note.stapsdt");
        }
        catch (BpfFormatException e)
        {
            throw new UprobeTargetException(e.Message, elf.Path, e);
        }
        // The notes record link-time addresses; prelink moves the code but not the notes, and .stapsdt.base's section
        // address says by how much (each note records where that section was at link time).
        ulong? baseSection = elf.FindSection(".stapsdt.base")?.Address;
        var probes = new List<UsdtProbe>();
        foreach (ElfNote note in notes)
        {
            if (note.Name != NoteOwner || note.Type != NoteType) continue;
            (string provider, string name, ulong pc, ulong noteBase, ulong semaphore, string arguments) = Decode(note, elf.Path, probes.Count);
            if (baseSection is { } b && noteBase != 0)
            {
                pc += b - noteBase;
                if (semaphore != 0) semaphore += b - noteBase;
            }
            ulong offset = ToFileOffset(elf, pc, executable: true, $"USDT {provider}:{name} site at 0x{pc:x}");
            ulong semaphoreOffset = semaphore == 0 ? 0 : ToFileOffset(elf, semaphore, executable: false, $"semaphore of USDT {provider}:{name} at 0x{semaphore:x}");
            probes.Add(new UsdtProbe(provider, name, pc, offset, semaphore, semaphoreOffset, arguments));
        }
        return probes;
    }

    /// <summary>The sites of <paramref name="provider"/>:<paramref name="name"/> in <paramref name="elf"/>.</summary>
    /// <exception cref="UprobeTargetException">There is no such probe; the message lists the probes the file has that are close.</exception>
    public static IReadOnlyList<UsdtProbe> Find(NativeElfFile elf, string provider, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentException.ThrowIfNullOrEmpty(name);
        IReadOnlyList<UsdtProbe> all = ReadAll(elf);
        List<UsdtProbe> sites = all.Where(p => p.Provider == provider && p.Name == name).ToList();
        if (sites.Count > 0) return sites;
        if (all.Count == 0)
            throw new UprobeTargetException(
                $"'{elf.Path}' has no USDT probes (no .note.stapsdt section): it was built without <sys/sdt.h> probes, or the probes are in a library it loads.",
                elf.Path);
        List<string> names = all.Select(p => $"{p.Provider}:{p.Name}").Distinct().ToList();
        IReadOnlyList<string> near = SymbolResolver.Near(names, $"{provider}:{name}");
        if (near.Count > 0)
            throw new UprobeTargetException($"no USDT probe {provider}:{name} in '{elf.Path}'; did you mean {string.Join(", ", near)}?", elf.Path) { NearMatches = near };
        throw new UprobeTargetException(
            $"no USDT probe {provider}:{name} in '{elf.Path}'; it has {string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : "")}.", elf.Path);
    }

    static (string, string, ulong, ulong, ulong, string) Decode(ElfNote note, string path, int index)
    {
        byte[] d = note.Descriptor;
        const int Addresses = 3 * 8;
        string where = $"'{path}': .note.stapsdt note {index}";
        if (d.Length < Addresses + 3)
            throw new UprobeTargetException($"{where} is {d.Length} bytes, too short for three addresses and three strings; the binary is corrupt.", path);
        ulong pc = BinaryPrimitives.ReadUInt64LittleEndian(d);
        ulong noteBase = BinaryPrimitives.ReadUInt64LittleEndian(d.AsSpan(8));
        ulong semaphore = BinaryPrimitives.ReadUInt64LittleEndian(d.AsSpan(16));
        int position = Addresses;
        string provider = NextString(d, ref position, where, "provider");
        string name = NextString(d, ref position, where, "name");
        if (provider.Length == 0 || name.Length == 0)
            throw new UprobeTargetException($"{where} has an empty provider or name; the binary is corrupt.", path);
        string arguments = position < d.Length ? NextString(d, ref position, where, "arguments") : "";
        // Some emitters write ':' for "no arguments".
        return (provider, name, pc, noteBase, semaphore, arguments == ":" ? "" : arguments.Trim());
    }

    static string NextString(byte[] d, ref int position, string where, string field)
    {
        int end = Array.IndexOf(d, (byte)0, position);
        if (end < 0) throw new UprobeTargetException($"{where}: its {field} is not NUL-terminated; the binary is corrupt.");
        string s = Encoding.UTF8.GetString(d, position, end - position);
        position = end + 1;
        return s;
    }

    static ulong ToFileOffset(NativeElfFile elf, ulong address, bool executable, string what)
    {
        ElfProgramHeader? segment = elf.FindLoadSegment(address);
        if (segment is not { } s)
            throw new UprobeTargetException($"'{elf.Path}': the {what} lies in no loadable segment; the binary is corrupt or was modified after linking.", elf.Path);
        if (s.IsExecutable != executable)
            throw new UprobeTargetException(
                $"'{elf.Path}': the {what} lies in {s}, which is {(s.IsExecutable ? "" : "not ")}executable; expected {(executable ? "code" : "data")}.",
                elf.Path);
        return address - s.VirtualAddress + s.Offset;
    }

    public override string ToString() =>
        $"USDT {Provider}:{Name} at 0x{Address:x} (file offset 0x{FileOffset:x}){(SemaphoreAddress != 0 ? $", semaphore 0x{SemaphoreAddress:x}" : "")}, args '{Arguments}'";
}
