namespace BpfSharp.Objects;

/// <summary>The names maps get in the kernel (at most 15 characters of letters, digits, '_' and '.'), as libbpf names them.</summary>
static class ObjectMapNames
{
    const int MaxLength = 15;

    /// <summary>
    /// A user map keeps its name (cut to 15 characters). A global-data map is named after its object plus its
    /// section, <c>OBJ.rodata</c>, with the object part shortened so the section suffix fits.
    /// </summary>
    public static string KernelName(MapDefinition map, string objectName)
    {
        if (map.Origin != MapOrigin.Data) return Sanitize(Cut(map.Name, MaxLength));
        string section = map.Name;
        int suffix = Math.Min(Math.Max(7, section.Length), MaxLength);
        // a section name with a second dot (.data.custom) is used alone; otherwise the object name fills what the
        // suffix leaves, reserving 7 characters even for .bss (libbpf's historical rule)
        int prefix = section.IndexOf('.', 1) >= 0 ? 0 : Math.Min(MaxLength - suffix, objectName.Length);
        return Sanitize(objectName[..prefix] + Cut(section, suffix));
    }

    static string Cut(string s, int n) => s.Length <= n ? s : s[..n];

    static string Sanitize(string name) => string.Create(name.Length, name, static (dst, src) =>
    {
        for (int i = 0; i < src.Length; i++)
            dst[i] = char.IsAsciiLetterOrDigit(src[i]) || src[i] is '_' or '.' ? src[i] : '_';
    });
}
