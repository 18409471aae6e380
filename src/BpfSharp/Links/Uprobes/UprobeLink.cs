using BpfSharp.Elf;
using BpfSharp.Programs;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// Attaches kprobe programs to user-space functions: a uprobe on a function's entry (or any instruction), a uretprobe
/// on its return. One perf event on the kernel's uprobe PMU per attachment, linked to the program with
/// BPF_LINK_CREATE (BPF_PERF_EVENT) so the program can read a BPF cookie; the returned <see cref="BpfLink"/> detaches on
/// dispose and can be pinned.
/// </summary>
/// <example>
/// <code>
/// using BpfLink link = UprobeLink.Attach(program, "libc.so.6", "malloc", new UprobeOptions { Pid = pid, Cookie = 7 });
/// </code>
/// </example>
public static class UprobeLink
{
    /// <summary>
    /// Attaches <paramref name="program"/> to the function <paramref name="symbol"/> of <paramref name="binary"/>.
    /// </summary>
    /// <param name="program">A kprobe program (BPF_PROG_TYPE_KPROBE), e.g. from a <c>uprobe</c> section.</param>
    /// <param name="binary">A path, a library name (<c>libc.so.6</c>, resolved as <see cref="BinaryLocator.Resolve"/> says) or a program on PATH.</param>
    /// <param name="symbol">
    /// A function name, optionally versioned (<c>malloc@@GLIBC_2.2.5</c>) and/or followed by <c>+OFFSET</c> to probe an
    /// instruction inside it (<c>main+0x10</c>); see <see cref="SymbolResolver.Resolve"/> for how a name is picked.
    /// </param>
    /// <param name="options">Pid filter, return probe, cookie, reference counter; null for an entry probe in every process.</param>
    /// <exception cref="UprobeTargetException">The binary or symbol is missing (with near matches) or the file is not ELF.</exception>
    /// <exception cref="BpfSyscallException">The kernel refused the perf event or the link.</exception>
    public static BpfLink Attach(BpfProgram program, string binary, string symbol, UprobeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        options ??= new UprobeOptions();
        string path = BinaryLocator.Resolve(binary, options.Pid);
        (string name, ulong extra) = SplitOffset(symbol);
        if (options.Retprobe && extra != 0)
            throw new ArgumentException($"'{symbol}': a uretprobe fires when the function returns, so it takes a function, not FUNCTION+OFFSET.", nameof(symbol));
        ResolvedFunction function;
        using (NativeElfFile elf = OpenElf(path))
            function = SymbolResolver.Resolve(elf, name);
        if (function.Size != 0 && extra >= function.Size)
            throw new ArgumentException($"'{symbol}': offset 0x{extra:x} is past the end of {function.Name} ({function.Size} bytes).", nameof(symbol));
        return AttachAt(program, path, function.FileOffset + extra, options, $"{function.Name}{(extra != 0 ? $"+0x{extra:x}" : "")}");
    }

    /// <summary>
    /// Attaches <paramref name="program"/> to the instruction at <paramref name="fileOffset"/> of <paramref name="binary"/>
    /// (a file offset, not a virtual address: see <see cref="NativeElfFile.TryGetFileOffset"/>).
    /// </summary>
    public static BpfLink Attach(BpfProgram program, string binary, ulong fileOffset, UprobeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        options ??= new UprobeOptions();
        string path = BinaryLocator.Resolve(binary, options.Pid);
        long size = new FileInfo(path).Length;
        if (fileOffset >= (ulong)size)
            throw new UprobeTargetException($"file offset 0x{fileOffset:x} is past the end of '{path}' ({size} bytes).", path);
        return AttachAt(program, path, fileOffset, options, $"0x{fileOffset:x}");
    }

    /// <summary>
    /// Attaches as libbpf would for the section name <paramref name="section"/> (<c>uprobe/PATH:FUNC[+OFFSET]</c>,
    /// <c>uretprobe/PATH:FUNC</c>, their <c>.s</c> forms, or <c>PATH:0xOFFSET</c>), to every process or the one
    /// <paramref name="pid"/> names.
    /// </summary>
    /// <returns>The link, or null for a bare <c>uprobe</c>/<c>uretprobe</c> section, which names no target.</returns>
    /// <exception cref="ArgumentException">The section is not a uprobe/uretprobe section, or is malformed.</exception>
    public static BpfLink? FromSection(BpfProgram program, string section, int? pid = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        UprobeSection parsed = UprobeSection.Parse(section) is { Kind: UprobeSectionKind.Uprobe or UprobeSectionKind.Uretprobe } s
            ? s
            : throw new ArgumentException($"section '{section}' is not a uprobe/ or uretprobe/ section.", nameof(section));
        if (parsed.Binary is null) return null;
        var options = new UprobeOptions { Pid = pid, Retprobe = parsed.IsRetprobe };
        return parsed.Function is null
            ? Attach(program, parsed.Binary, parsed.Offset, options)
            : Attach(program, parsed.Binary, parsed.Offset == 0 ? parsed.Function : $"{parsed.Function}+0x{parsed.Offset:x}", options);
    }

    internal static BpfLink AttachAt(BpfProgram program, string path, ulong fileOffset, UprobeOptions options, string where)
    {
        if (options.Pid is < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Pid, "Pid must be null (every process) or a process id ≥ 0.");
        string description = $"{program} at {(options.Retprobe ? "uretprobe" : "uprobe")} {path}:{where}" +
                             (options.Pid is { } pid ? $" (pid {pid})" : "");
        using var perfEvent = UprobePmu.Current.Open(path, fileOffset, options.Retprobe, options.RefCounterOffset, options.Pid, program.Fd.Syscalls);
        return UprobeLinks.CreatePerfEventLink(program, perfEvent, options.Cookie, description);
    }

    internal static NativeElfFile OpenElf(string path)
    {
        try
        {
            return NativeElfFile.Open(path);
        }
        catch (BpfFormatException e)
        {
            throw new UprobeTargetException(e.Message, path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UprobeTargetException($"cannot read '{path}': {e.Message}", path, e);
        }
    }

    static (string Name, ulong Offset) SplitOffset(string symbol)
    {
        int plus = symbol.LastIndexOf('+');
        return plus > 0 && UprobeSection.TryParseNumber(symbol[(plus + 1)..], out ulong offset) ? (symbol[..plus], offset) : (symbol, 0);
    }
}
