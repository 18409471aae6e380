using System.Text;
using System.Text.RegularExpressions;

namespace BpfSharp.AbiGen;

/// <summary>errno values and their descriptions, from asm-generic/errno-base.h and errno.h.</summary>
static partial class ErrnoGenerator
{
    [GeneratedRegex(@"^#define\s+(E[A-Z0-9]+)\s+(\d+)\s*/\*\s*(.*?)\s*\*/")]
    private static partial Regex ErrnoLine();

    public static string Generate(string includeDir, string source)
    {
        var entries = new List<(string Name, int Value, string Text)>();
        foreach (string header in new[] { "asm-generic/errno-base.h", "asm-generic/errno.h" })
            foreach (string line in File.ReadLines(Path.Combine(includeDir, header)))
            {
                Match m = ErrnoLine().Match(line);
                if (m.Success) entries.Add((m.Groups[1].Value, int.Parse(m.Groups[2].Value), m.Groups[3].Value));
            }

        var sb = new StringBuilder(Naming.Header(source));
        sb.AppendLine("namespace BpfSharp.Abi;");
        sb.AppendLine();
        sb.AppendLine("/// <summary>Linux errno values.</summary>");
        sb.AppendLine("public enum Errno");
        sb.AppendLine("{");
        foreach (var (name, value, _) in entries) sb.AppendLine($"    {name} = {value},");
        sb.AppendLine("}");
        sb.AppendLine();
        sb.AppendLine("public static partial class ErrnoText");
        sb.AppendLine("{");
        sb.AppendLine("    /// <summary>The C library's short description of an errno value, or null when unknown.</summary>");
        sb.AppendLine("    public static string? Describe(Errno errno) => errno switch");
        sb.AppendLine("    {");
        foreach (var (name, _, text) in entries) sb.AppendLine($"        Errno.{name} => \"{text.Replace("\"", "\\\"")}\",");
        sb.AppendLine("        _ => null,");
        sb.AppendLine("    };");
        sb.AppendLine("}");
        return sb.ToString();
    }
}
