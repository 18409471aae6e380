using BpfSharp.Elf;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// Finds functions in an executable or shared object by name (<c>.symtab</c>, then <c>.dynsym</c>), with GNU symbol
/// versions (<c>name</c>, <c>name@VERSION</c>, <c>name@@VERSION</c>) and glob patterns, and translates their addresses to
/// the file offsets the kernel's uprobes take.
/// </summary>
public static class SymbolResolver
{
    /// <summary>
    /// The function <paramref name="symbol"/> in <paramref name="elf"/>. Without a version the default version wins over
    /// older ones (<c>memcpy</c> is <c>memcpy@@GLIBC_2.14</c>, not <c>memcpy@GLIBC_2.2.5</c>), and a global definition over
    /// a weak one, as the dynamic linker would bind it; <c>name@VERSION</c> picks that version. Aliases at one address are
    /// one match.
    /// </summary>
    /// <exception cref="UprobeTargetException">
    /// No such function (the message lists near matches, or says the symbol is an import or not a function), or two
    /// different functions of that name (e.g. two <c>static</c> ones); use an offset then.
    /// </exception>
    public static ResolvedFunction Resolve(NativeElfFile elf, string symbol)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        (string name, string? version, bool defaultOnly) = SplitVersion(symbol);
        List<NativeSymbol> all = [.. elf.ReadSymbols(ElfSectionType.SymbolTable), .. elf.ReadSymbols(ElfSectionType.DynamicSymbols)];
        List<NativeSymbol> named = all.Where(s => s.Name == name).ToList();
        List<NativeSymbol> matches = named
            .Where(s => s.IsFunction && s.IsDefined)
            .Where(s => version is null || (s.Version == version && (!defaultOnly || s.IsDefaultVersion)))
            .ToList();
        if (matches.Count == 0) throw NotFound(elf, symbol, name, named, all);

        if (version is null && matches.Any(s => s.IsDefaultVersion)) matches.RemoveAll(s => !s.IsDefaultVersion);
        if (matches.Any(s => s.Symbol.Binding != ElfSymbolBinding.Weak)) matches.RemoveAll(s => s.Symbol.Binding == ElfSymbolBinding.Weak);
        var byAddress = matches.GroupBy(s => s.Symbol.Value).ToList();
        if (byAddress.Count > 1)
            throw new UprobeTargetException(
                $"'{symbol}' names {byAddress.Count} different functions in '{elf.Path}': " +
                string.Join(", ", byAddress.Select(g => $"{g.First().VersionedName} ({g.First().Symbol.Binding}) at 0x{g.Key:x}")) +
                "; name a version (name@VERSION) or attach by file offset.",
                elf.Path);
        // Prefer the .symtab entry for its size and the .dynsym one for its version: both describe one address.
        int versioned = matches.FindIndex(s => s.Version is not null);
        NativeSymbol chosen = matches[versioned >= 0 ? versioned : 0];
        return ToResolved(elf, chosen);
    }

    /// <summary>
    /// Every function whose name matches the glob <paramref name="pattern"/> (<c>*</c> any run, <c>?</c> one character),
    /// from <c>.symtab</c> or, when that matches nothing, <c>.dynsym</c> (libbpf's order for patterns), one per address,
    /// sorted by name.
    /// </summary>
    /// <exception cref="UprobeTargetException">Nothing matches.</exception>
    public static IReadOnlyList<ResolvedFunction> ResolvePattern(NativeElfFile elf, string pattern)
    {
        ArgumentNullException.ThrowIfNull(elf);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        foreach (ElfSectionType table in (ReadOnlySpan<ElfSectionType>)[ElfSectionType.SymbolTable, ElfSectionType.DynamicSymbols])
        {
            var found = elf.ReadSymbols(table)
                .Where(s => s.IsFunction && s.IsDefined && GlobMatch(s.Name, pattern))
                .GroupBy(s => s.Symbol.Value)
                .Select(g => ToResolved(elf, g.OrderBy(s => s.Symbol.Binding == ElfSymbolBinding.Weak).First()))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
            if (found.Count > 0) return found;
        }
        var names = FunctionNames(elf);
        throw new UprobeTargetException(
            $"no function in '{elf.Path}' matches the pattern '{pattern}'{NearMatchText(Near(names, pattern.Replace("*", "").Replace("?", "")))}.",
            elf.Path)
        { NearMatches = Near(names, pattern.Replace("*", "").Replace("?", "")) };
    }

    /// <summary>libbpf's glob: <c>*</c> matches any run of characters, <c>?</c> exactly one; everything else itself.</summary>
    public static bool GlobMatch(string text, string pattern)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { t++; p++; }
            else if (p < pattern.Length && pattern[p] == '*') { starP = p++; starT = t; }
            else if (starP >= 0) { p = starP + 1; t = ++starT; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    static ResolvedFunction ToResolved(NativeElfFile elf, NativeSymbol s)
    {
        if (!elf.TryGetFileOffset(s.Symbol.Value, out ulong offset, out _))
            throw new UprobeTargetException(
                $"'{s.VersionedName}' in '{elf.Path}' is at 0x{s.Symbol.Value:x}, which no loadable segment of the file maps: the binary is malformed or the symbol is not code.",
                elf.Path);
        return new ResolvedFunction(s.VersionedName, s.Symbol.Value, offset, s.Symbol.Size, s.Symbol.Binding,
            s.Symbol.Type == ElfSymbolType.GnuIndirectFunction);
    }

    static (string Name, string? Version, bool DefaultOnly) SplitVersion(string symbol)
    {
        int at = symbol.IndexOf('@');
        if (at <= 0) return (symbol, null, false);
        bool twice = at + 1 < symbol.Length && symbol[at + 1] == '@';
        string version = symbol[(at + (twice ? 2 : 1))..];
        return (symbol[..at], version.Length == 0 ? null : version, twice);
    }

    static UprobeTargetException NotFound(NativeElfFile elf, string symbol, string name, List<NativeSymbol> named, List<NativeSymbol> all)
    {
        string why;
        if (named.Any(s => s.IsFunction && s.IsDefined))
        {
            why = $"'{name}' exists only as {string.Join(", ", named.Where(s => s.IsDefined).Select(s => s.VersionedName).Distinct())}";
        }
        else if (named.Any(s => s.Symbol.IsUndefined))
        {
            NativeSymbol import = named.First(s => s.Symbol.IsUndefined);
            why = $"'{import.VersionedName}' is imported from a shared library, not defined here: attach to the library that defines it " +
                  $"({(import.Version is { } v && v.StartsWith("GLIBC", StringComparison.Ordinal) ? "libc.so.6" : "see 'ldd " + elf.Path + "'")})";
        }
        else if (named.Any(s => s.IsDefined))
        {
            why = $"'{name}' is a {named.First(s => s.IsDefined).Symbol.Type} symbol, not a function";
        }
        else
        {
            bool stripped = elf.Sections.All(s => s.Type != ElfSectionType.SymbolTable);
            why = stripped
                ? $"the file is stripped (no .symtab) and its .dynsym does not export '{name}'; a static function needs an unstripped binary or its file offset"
                : $"no function '{name}' in .symtab or .dynsym";
        }
        IReadOnlyList<string> near = Near(all.Where(s => s.IsFunction && s.IsDefined).Select(s => s.Name).Distinct(), name);
        return new UprobeTargetException($"symbol '{symbol}' not found in '{elf.Path}': {why}{NearMatchText(near)}.", elf.Path) { NearMatches = near };
    }

    static IEnumerable<string> FunctionNames(NativeElfFile elf) =>
        elf.ReadSymbols(ElfSectionType.SymbolTable).Concat(elf.ReadSymbols(ElfSectionType.DynamicSymbols))
            .Where(s => s.IsFunction && s.IsDefined).Select(s => s.Name).Distinct();

    static string NearMatchText(IReadOnlyList<string> near) => near.Count == 0 ? "" : $"; did you mean {string.Join(", ", near.Select(n => $"'{n}'"))}?";

    /// <summary>Up to five names closest to <paramref name="wanted"/>: containing it or close in edit distance, best first.</summary>
    internal static IReadOnlyList<string> Near(IEnumerable<string> names, string wanted, int max = 5)
    {
        if (wanted.Length == 0) return [];
        int limit = Math.Max(2, wanted.Length / 3);
        return names
            .Select(n => (Name: n, Score: Score(n, wanted, limit)))
            .Where(x => x.Score <= limit + 1)
            .OrderBy(x => x.Score).ThenBy(x => x.Name.Length).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)
            .ToList();
    }

    static int Score(string candidate, string wanted, int limit)
    {
        if (string.Equals(candidate, wanted, StringComparison.OrdinalIgnoreCase)) return 0;
        if (candidate.Contains(wanted, StringComparison.OrdinalIgnoreCase) || wanted.Contains(candidate, StringComparison.OrdinalIgnoreCase))
            return candidate.Length >= 3 ? 1 : int.MaxValue;
        if (Math.Abs(candidate.Length - wanted.Length) > limit || wanted.Length > 256) return int.MaxValue;
        return EditDistance(candidate, wanted, limit) + 1;
    }

    /// <summary>Levenshtein distance, giving up (returning a value above <paramref name="limit"/>) once it cannot stay within it.</summary>
    static int EditDistance(string a, string b, int limit)
    {
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int best = current[0];
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                best = Math.Min(best, current[j]);
            }
            if (best > limit) return limit + 1;
            current.CopyTo(previous);
        }
        return previous[b.Length];
    }
}
