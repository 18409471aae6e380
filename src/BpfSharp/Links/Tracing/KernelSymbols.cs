namespace BpfSharp.Links;

/// <summary>Kernel function names, for ksyscall and kprobe.multi patterns: tracefs' traceable functions, else /proc/kallsyms.</summary>
static class KernelSymbols
{
    /// <summary>Whether /proc/kallsyms lists <paramref name="name"/> as a text (function) symbol.</summary>
    public static bool HasFunction(string name) => Functions(traceableOnly: false).Contains(name);

    /// <summary>
    /// Function names: with <paramref name="traceableOnly"/>, those tracefs lists as traceable
    /// (available_filter_functions) when it can be read, else every text symbol of /proc/kallsyms.
    /// </summary>
    public static IEnumerable<string> Functions(bool traceableOnly)
    {
        if (traceableOnly && Tracefs.Root is { } root)
        {
            List<string>? traceable = TryReadFilterFunctions(Path.Combine(root, "available_filter_functions"));
            if (traceable != null) return traceable;
        }
        return KallsymsFunctions();
    }

    static List<string>? TryReadFilterFunctions(string path)
    {
        try
        {
            var names = new List<string>();
            foreach (string line in File.ReadLines(path))
            {
                int end = line.IndexOf(' '); // "name [module]"
                names.Add(end < 0 ? line : line[..end]);
            }
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static IEnumerable<string> KallsymsFunctions()
    {
        foreach (string line in File.ReadLines("/proc/kallsyms"))
        {
            // "ffffffff816b7900 T __x64_sys_openat [module]"
            int first = line.IndexOf(' ');
            if (first < 0 || first + 3 >= line.Length || line[first + 2] != ' ') continue;
            char kind = line[first + 1];
            if (kind is not ('t' or 'T')) continue;
            int start = first + 3;
            int end = line.IndexOfAny([' ', '\t'], start);
            yield return end < 0 ? line[start..] : line[start..end];
        }
    }

    /// <summary>libbpf's glob: '*' matches any run of characters, '?' any one character.</summary>
    public static bool GlobMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; resume = t; }
            else if (star >= 0) { p = star + 1; t = ++resume; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
