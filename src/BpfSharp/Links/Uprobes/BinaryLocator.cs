using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Elf;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// Turns the binary a uprobe names into a path the kernel can open, the way libbpf does and a little further:
/// a path (anything with a '/') is used as is; a library name (<c>libc.so.6</c>, <c>libfoo.so</c>) is found in the
/// memory map of a given process, then in <c>/etc/ld.so.cache</c>, <c>LD_LIBRARY_PATH</c> and the standard library
/// directories; any other bare name is searched on <c>PATH</c> like a shell would.
/// </summary>
public static class BinaryLocator
{
    /// <summary>
    /// The full path of <paramref name="binary"/>. With <paramref name="pid"/> a library is first looked up among the
    /// files that process has mapped (<c>/proc/PID/maps</c>), so the copy that process really runs is the one probed,
    /// also across mount namespaces (through <c>/proc/PID/root</c>).
    /// </summary>
    /// <exception cref="UprobeTargetException">Nothing by that name was found; the message lists where it looked.</exception>
    public static string Resolve(string binary, int? pid = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(binary);
        if (binary.Contains('/'))
        {
            string full = System.IO.Path.GetFullPath(binary);
            if (File.Exists(full)) return full;
            throw new UprobeTargetException(
                Directory.Exists(full)
                    ? $"'{binary}' is a directory; a uprobe needs an executable or shared library file."
                    : $"no file '{binary}'{(full != binary ? $" (resolved to '{full}')" : "")}: give the path of an executable or shared library, or a library name such as 'libc.so.6'.",
                binary);
        }

        var searched = new List<string>();
        if (IsLibraryName(binary))
        {
            if (pid is { } p)
            {
                if (FindInProcessMaps(binary, p) is { } mapped) return mapped;
                searched.Add($"/proc/{p}/maps");
            }
            if (FindInLdCache(binary) is { } cached) return cached;
            searched.Add("/etc/ld.so.cache");
            foreach (string dir in LibraryDirectories())
            {
                string candidate = System.IO.Path.Combine(dir, binary);
                if (File.Exists(candidate) && MatchesThisMachine(candidate)) return candidate;
                searched.Add(dir);
            }
            throw new UprobeTargetException(
                $"library '{binary}' not found (looked in {string.Join(", ", searched)}): give its full path, or check the name with 'ldconfig -p'.",
                binary);
        }

        foreach (string dir in ExecutableDirectories())
        {
            string candidate = System.IO.Path.Combine(dir, binary);
            if (File.Exists(candidate)) return candidate;
            searched.Add(dir);
        }
        throw new UprobeTargetException(
            $"executable '{binary}' not found on PATH ({string.Join(":", searched)}): give its full path (e.g. '/proc/{pid?.ToString() ?? "PID"}/exe' for a running process).",
            binary);
    }

    /// <summary>True for names a dynamic linker would look up: <c>*.so</c> or <c>*.so.N</c>.</summary>
    public static bool IsLibraryName(string name) => name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);

    /// <summary>
    /// The path of the mapped file in <c>/proc/PID/maps</c> whose name is <paramref name="library"/> (or, failing that,
    /// the same library with another version suffix: <c>libc.so.6</c> finds <c>libc-2.31.so</c>), or null.
    /// </summary>
    public static string? FindInProcessMaps(string library, int pid)
    {
        string maps = $"/proc/{pid}/maps";
        string[] lines;
        try
        {
            lines = File.ReadAllLines(maps);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UprobeTargetException($"cannot read {maps} to find '{library}' in process {pid}: {e.Message} (is the process still running?)", library, e);
        }
        string stem = library[..library.IndexOf(".so", StringComparison.Ordinal)];
        string? loose = null;
        foreach (string line in lines)
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            string path = line[slash..];
            if (path.EndsWith(" (deleted)", StringComparison.Ordinal)) continue;
            string name = System.IO.Path.GetFileName(path);
            if (name == library) return InProcessRoot(path, pid);
            if (loose is null && (name.StartsWith(stem + ".so", StringComparison.Ordinal) || name.StartsWith(stem + "-", StringComparison.Ordinal))
                && IsLibraryName(name))
                loose = path;
        }
        return loose is null ? null : InProcessRoot(loose, pid);
    }

    /// <summary>A path from another process's map, reachable from here (through its root if it lives in another mount namespace).</summary>
    static string InProcessRoot(string path, int pid) => File.Exists(path) ? path : $"/proc/{pid}/root{path}";

    /// <summary>
    /// The path <c>/etc/ld.so.cache</c> gives for <paramref name="library"/> built for this machine's architecture
    /// (the cache also lists 32-bit and foreign-architecture copies), or null.
    /// </summary>
    public static string? FindInLdCache(string library, string cachePath = "/etc/ld.so.cache")
    {
        byte[] cache;
        try
        {
            cache = File.ReadAllBytes(cachePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        foreach (string path in LdCacheEntries(cache, library))
            if (File.Exists(path) && MatchesThisMachine(path))
                return path;
        return null;
    }

    /// <summary>The paths the cache lists for <paramref name="library"/>, in cache order (glibc's format <c>glibc-ld.so.cache1.1</c>).</summary>
    internal static IEnumerable<string> LdCacheEntries(byte[] cache, string library)
    {
        ReadOnlySpan<byte> magic = "glibc-ld.so.cache1.1"u8;
        int start = cache.AsSpan().IndexOf(magic);
        if (start < 0 || cache.Length - start < 48) yield break;
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(cache.AsSpan(start + 20));
        const int HeaderSize = 48, EntrySize = 24;
        byte[] wanted = Encoding.UTF8.GetBytes(library);
        for (long i = 0; i < count; i++)
        {
            long entry = start + HeaderSize + i * EntrySize;
            if (entry + EntrySize > cache.Length) yield break;
            uint key = BinaryPrimitives.ReadUInt32LittleEndian(cache.AsSpan((int)entry + 4));
            uint value = BinaryPrimitives.ReadUInt32LittleEndian(cache.AsSpan((int)entry + 8));
            // String offsets of the new format count from the start of the new-format header.
            if (CString(cache, start + key) is not { } name || !name.AsSpan().SequenceEqual(wanted)) continue;
            if (CString(cache, start + value) is { } path) yield return Encoding.UTF8.GetString(path);
        }
    }

    static byte[]? CString(byte[] data, long offset)
    {
        if (offset < 0 || offset >= data.Length) return null;
        int end = data.AsSpan((int)offset).IndexOf((byte)0);
        return end < 0 ? null : data.AsSpan((int)offset, end).ToArray();
    }

    /// <summary>True when <paramref name="path"/> is a 64-bit ELF file for the machine this process runs on.</summary>
    static bool MatchesThisMachine(string path)
    {
        try
        {
            using NativeElfFile elf = NativeElfFile.Open(path);
            return ThisMachine is not { } m || elf.Machine == m;
        }
        catch (Exception e) when (e is BpfFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>This process's <c>e_machine</c>, or null when unknown (then any ELF64 file matches).</summary>
    internal static ushort? ThisMachine => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 62,
        Architecture.Arm64 => 183,
        Architecture.RiscV64 => 243,
        Architecture.LoongArch64 => 258,
        Architecture.S390x => 22,
        Architecture.Ppc64le => 21,
        _ => null,
    };

    static IEnumerable<string> LibraryDirectories()
    {
        foreach (string dir in SplitPath(Environment.GetEnvironmentVariable("LD_LIBRARY_PATH"))) yield return dir;
        if (MultiarchTriplet is { } triplet)
        {
            yield return $"/lib/{triplet}";
            yield return $"/usr/lib/{triplet}";
        }
        yield return "/lib64";
        yield return "/usr/lib64";
        yield return "/lib";
        yield return "/usr/lib";
        yield return "/usr/local/lib";
    }

    static string? MultiarchTriplet => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "x86_64-linux-gnu",
        Architecture.Arm64 => "aarch64-linux-gnu",
        Architecture.RiscV64 => "riscv64-linux-gnu",
        Architecture.S390x => "s390x-linux-gnu",
        Architecture.Ppc64le => "powerpc64le-linux-gnu",
        Architecture.LoongArch64 => "loongarch64-linux-gnu",
        _ => null,
    };

    static IEnumerable<string> ExecutableDirectories()
    {
        foreach (string dir in SplitPath(Environment.GetEnvironmentVariable("PATH"))) yield return dir;
        yield return "/usr/bin";
        yield return "/usr/sbin";
    }

    static IEnumerable<string> SplitPath(string? value) =>
        (value ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
