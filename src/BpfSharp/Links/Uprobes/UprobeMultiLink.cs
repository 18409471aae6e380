using BpfSharp.Elf;
using BpfSharp.Programs;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// Attaches one kprobe program to many instructions of one file with a single uprobe_multi link
/// (BPF_TRACE_UPROBE_MULTI, Linux 6.6+): by symbol names, by a glob over the symbol table, or by file offsets, each probe
/// with its own cookie and reference counter. The program must have been loaded with expected attach type
/// <c>TraceUprobeMulti</c> (sections <c>uprobe.multi/…</c>, <c>uretprobe.multi/…</c>). libbpf 1.1 and bpftool 7.1, the
/// distribution's, predate these links.
/// </summary>
/// <example>
/// <code>
/// using BpfLink link = UprobeMultiLink.Attach(program, "/usr/bin/app", ["parse", "render"],
///     new UprobeMultiOptions { Cookies = [1, 2] });
/// </code>
/// </example>
public static class UprobeMultiLink
{
    /// <summary>Probes each function of <paramref name="symbols"/> (names as <see cref="SymbolResolver.Resolve"/> takes them).</summary>
    /// <exception cref="UprobeTargetException">A binary or symbol is missing; the message names it and lists near matches.</exception>
    public static BpfLink Attach(BpfProgram program, string binary, IReadOnlyList<string> symbols, UprobeMultiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Count == 0) throw new ArgumentException("give at least one symbol.", nameof(symbols));
        options ??= new UprobeMultiOptions();
        string path = BinaryLocator.Resolve(binary, options.Pid);
        ulong[] offsets;
        using (NativeElfFile elf = UprobeLink.OpenElf(path))
            offsets = symbols.Select(s => SymbolResolver.Resolve(elf, s).FileOffset).ToArray();
        return AttachAt(program, path, offsets, options, symbols.Count <= 3 ? string.Join(",", symbols) : $"{symbols.Count} functions");
    }

    /// <summary>
    /// Probes every function whose name matches the glob <paramref name="pattern"/> (see
    /// <see cref="SymbolResolver.ResolvePattern"/>). Cookies, when given, follow the functions in name order.
    /// </summary>
    public static BpfLink AttachPattern(BpfProgram program, string binary, string pattern, UprobeMultiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        options ??= new UprobeMultiOptions();
        string path = BinaryLocator.Resolve(binary, options.Pid);
        IReadOnlyList<ResolvedFunction> functions;
        using (NativeElfFile elf = UprobeLink.OpenElf(path))
            functions = SymbolResolver.ResolvePattern(elf, pattern);
        return AttachAt(program, path, functions.Select(f => f.FileOffset).ToArray(), options, $"'{pattern}' ({functions.Count} functions)");
    }

    /// <summary>Probes the instructions at <paramref name="fileOffsets"/> of <paramref name="binary"/>.</summary>
    public static BpfLink Attach(BpfProgram program, string binary, IReadOnlyList<ulong> fileOffsets, UprobeMultiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(fileOffsets);
        options ??= new UprobeMultiOptions();
        string path = BinaryLocator.Resolve(binary, options.Pid);
        return AttachAt(program, path, [.. fileOffsets], options, $"{fileOffsets.Count} offsets");
    }

    /// <summary>
    /// Attaches as libbpf would for <c>uprobe.multi/PATH:PATTERN</c> or <c>uretprobe.multi/PATH:PATTERN</c> (and their
    /// <c>.s</c> forms), to every process or the one <paramref name="pid"/> names.
    /// </summary>
    /// <returns>The link, or null for a bare section that names no target.</returns>
    public static BpfLink? FromSection(BpfProgram program, string section, int? pid = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        UprobeSection parsed = UprobeSection.Parse(section) is { Kind: UprobeSectionKind.UprobeMulti or UprobeSectionKind.UretprobeMulti } s
            ? s
            : throw new ArgumentException($"section '{section}' is not a uprobe.multi/ or uretprobe.multi/ section.", nameof(section));
        if (parsed.Binary is null) return null;
        return AttachPattern(program, parsed.Binary, parsed.Function!, new UprobeMultiOptions { Pid = pid, Retprobe = parsed.IsRetprobe });
    }

    internal static BpfLink AttachAt(BpfProgram program, string path, ulong[] offsets, UprobeMultiOptions options, string what)
    {
        if (options.Pid is < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Pid, "Pid must be null (every process) or a process id ≥ 0.");
        // The link's pid 0 means "no filter"; 0 here means this process, as for a single uprobe.
        int? pid = options.Pid == 0 ? Environment.ProcessId : options.Pid;
        string description = $"{program} at {(options.Retprobe ? "uretprobe.multi" : "uprobe.multi")} {path}:{what}" +
                             (pid is { } p ? $" (pid {p})" : "");
        return UprobeLinks.CreateMultiLink(program, path, offsets, [.. options.RefCounterOffsets], [.. options.Cookies],
            options.Retprobe, pid, description);
    }
}
