using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// The valid inputs the fuzz tests mutate, built once per test run in a temporary folder:
/// <list type="bullet">
/// <item><c>vmlinux</c>: /sys/kernel/btf/vmlinux as it is;</item>
/// <item><c>vmlinux-head</c>: its first types (about 48 KiB of them) with a string table of just their names and
///   references past the cut set to void, small enough to run thousands of mutations;</item>
/// <item>for each of <see cref="CorpusSources"/>: the object compiled by clang-19 (<c>NAME.o</c>), and its
///   <c>.BTF</c> and <c>.BTF.ext</c> sections extracted with llvm-objcopy-19.</item>
/// </list>
/// </summary>
sealed class FuzzCorpus
{
    const string Vmlinux = "/sys/kernel/btf/vmlinux";
    const int HeadTypeBytes = 48 * 1024;

    static readonly Lazy<FuzzCorpus> shared = new(() => new FuzzCorpus());

    public static FuzzCorpus Shared => shared.Value;

    /// <summary>Why the corpus could not be built (a tool or vmlinux BTF missing), or null.</summary>
    public string? Unavailable { get; }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"bpfsharp-fuzz-corpus-{Environment.ProcessId}");

    readonly Dictionary<string, List<(string Name, string Path)>> sets = [];

    FuzzCorpus()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
        };
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            if (!File.Exists(Vmlinux)) throw new CorpusUnavailableException($"{Vmlinux} does not exist (kernel without BTF)");
            byte[] vmlinux = File.ReadAllBytes(Vmlinux);
            Add("vmlinux", "vmlinux", Vmlinux);
            Add("vmlinux-head", "vmlinux-head", Write("vmlinux-head.btf", BtfHead(vmlinux, HeadTypeBytes)));
            foreach (var (name, source) in CorpusSources.All)
            {
                string c = Write($"{name}.bpf.c", Encoding.UTF8.GetBytes(source));
                string o = Path.Combine(Directory, $"{name}.bpf.o");
                // The prefix map keeps this run's folder name out of the BTF strings, so the corpus (and every
                // mutation's offsets) is the same in every run and a printed (seed, index) replays anywhere.
                Tool("clang-19", "-g", "-O2", "-target", "bpf", "-Wall", "-Werror", $"-I{MultiarchInclude()}",
                    $"-fdebug-prefix-map={Directory}=/fuzz", "-c", c, "-o", o);
                string btf = Path.Combine(Directory, $"{name}.btf"), ext = Path.Combine(Directory, $"{name}.btf.ext");
                // The output goes to a scratch file so the .o keeps clang's exact bytes for the ELF fuzz.
                Tool("llvm-objcopy-19", $"--dump-section=.BTF={btf}", $"--dump-section=.BTF.ext={ext}", o, Path.Combine(Directory, $"{name}.scratch.o"));
                Add("object-btf", name, btf);
                Add("object-btf-ext", name, ext);
                Add("objects", name, o);
            }
        }
        catch (CorpusUnavailableException e)
        {
            Unavailable = e.Message;
        }
    }

    /// <summary>The entries of a corpus set: vmlinux, vmlinux-head, object-btf, object-btf-ext, objects.</summary>
    public IReadOnlyList<(string Name, string Path)> Set(string name) =>
        sets.TryGetValue(name, out var list) ? list : throw new ArgumentException($"no corpus set '{name}'");

    /// <summary>The corpus sets a target of this kind runs on, with the number of mutations per entry.</summary>
    public static IEnumerable<(string Set, int MutationsPerEntry)> SetsFor(InputKind kind) => kind switch
    {
        // vmlinux takes ~0.1–0.2 s per input: few mutations, but of the real thing.
        InputKind.Btf => [("vmlinux", 32), ("vmlinux-head", 1200), ("object-btf", 600)],
        InputKind.ElfObject => [("objects", 600)],
        InputKind.BtfExt => [("object-btf-ext", 600)],
        _ => [],
    };

    void Add(string set, string name, string path)
    {
        if (!sets.TryGetValue(set, out var list)) sets[set] = list = [];
        list.Add((name, path));
    }

    string Write(string file, byte[] bytes)
    {
        string path = Path.Combine(Directory, file);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static string MultiarchInclude()
    {
        // linux/types.h includes asm/types.h, which Debian keeps under /usr/include/<triplet>.
        foreach (string dir in System.IO.Directory.EnumerateDirectories("/usr/include", "*-linux-gnu*"))
            if (File.Exists(Path.Combine(dir, "asm", "types.h"))) return dir;
        return "/usr/include";
    }

    static void Tool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CorpusUnavailableException($"{tool} is not installed ({e.Message}); test.sh installs it");
        }
        using (p)
        {
            string stderr = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        }
    }

    /// <summary>
    /// A valid BTF blob made of the first types of <paramref name="btf"/> (whole records, about
    /// <paramref name="typeBytes"/> of them): names moved to a new string table of only the names used, references
    /// to types past the cut set to 0 (void).
    /// </summary>
    internal static byte[] BtfHead(byte[] btf, int typeBytes)
    {
        FieldMap map = BtfFieldScanner.Scan(btf);
        int hdrLen = (int)U32(btf, 4);
        int typeStart = hdrLen + (int)U32(btf, 8);
        int strStart = hdrLen + (int)U32(btf, 16);
        int cutRecord = map.RecordStarts.FindIndex(s => s - typeStart >= typeBytes);
        if (cutRecord < 0) return btf;
        int cut = map.RecordStarts[cutRecord];
        uint lastId = (uint)cutRecord; // records are ids 1..cutRecord

        byte[] types = btf.AsSpan(typeStart, cut - typeStart).ToArray();
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var moved = new Dictionary<uint, uint> { [0] = 0 };
        foreach (Field f in map.Fields)
        {
            if (f.Offset < typeStart || f.Offset >= cut) continue;
            Span<byte> at = types.AsSpan(f.Offset - typeStart);
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(at);
            if (f.Role == FieldRole.Name)
            {
                if (!moved.TryGetValue(value, out uint newOffset))
                {
                    ReadOnlySpan<byte> rest = btf.AsSpan(strStart + (int)value);
                    moved[value] = newOffset = (uint)strings.Length;
                    strings.Write(rest[..(rest.IndexOf((byte)0) + 1)]);
                }
                BinaryPrimitives.WriteUInt32LittleEndian(at, newOffset);
            }
            else if (f.Role == FieldRole.TypeRef && value > lastId)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(at, 0);
            }
        }

        byte[] head = new byte[24 + types.Length + strings.Length];
        btf.AsSpan(0, 4).CopyTo(head); // magic, version, flags
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(16), (uint)types.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(20), (uint)strings.Length);
        types.CopyTo(head.AsSpan(24));
        strings.ToArray().CopyTo(head.AsSpan(24 + types.Length));
        return head;
    }

    static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
}

/// <summary>A tool or kernel file the corpus needs is missing: the fuzz tests skip (or fail under CI).</summary>
sealed class CorpusUnavailableException(string message) : Exception(message);
