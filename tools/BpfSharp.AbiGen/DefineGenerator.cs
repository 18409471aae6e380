using System.Text;
using System.Text.RegularExpressions;

namespace BpfSharp.AbiGen;

/// <summary>Enums and constants from <c>#define</c>s of the UAPI headers (the values BTF cannot carry).</summary>
static partial class DefineGenerator
{
    [GeneratedRegex(@"^#define\s+(\w+)\s+\(?\s*(?:(\d+)U?|0x([0-9a-fA-F]+)U?|\(?1U?L?L?\s*<<\s*(\d+)\s*\)?)\s*\)?\s*(?:/\*.*)?$")]
    private static partial Regex DefineLine();

    public static string Generate(string includeDir, string source)
    {
        var values = new Dictionary<string, long>();
        foreach (string header in AbiTables.Defines.Select(d => d.Header).Concat(AbiTables.Constants.Select(c => c.Header)).Distinct())
            Read(Path.Combine(includeDir, header), values);
        foreach (var (name, value) in AbiTables.NewerDefines)
        {
            if (!values.TryAdd(name, value) && values[name] != value)
                throw new InvalidOperationException($"{name} is {values[name]} in the headers but {value} in AbiTables.NewerDefines");
        }

        var sb = new StringBuilder(Naming.Header(source));
        sb.AppendLine("namespace BpfSharp.Abi;");
        foreach (var group in AbiTables.Defines)
        {
            sb.AppendLine();
            sb.AppendLine($"/// <summary>{group.Summary}</summary>");
            if (group.Flags) sb.AppendLine("[Flags]");
            sb.AppendLine($"public enum {group.CSharpName} : {group.UnderlyingType}");
            sb.AppendLine("{");
            if (group.Flags) sb.AppendLine("    None = 0,");
            foreach (string name in group.Names)
            {
                // Headers older than the kernel lack the newest flags: those come from AbiTables.NewerDefines, or are left out.
                if (!values.TryGetValue(name, out long value)) continue;
                sb.AppendLine($"    {Naming.Pascal(name[group.Prefix.Length..])} = {value},");
            }
            sb.AppendLine("}");
        }
        sb.AppendLine();
        sb.AppendLine("/// <summary>Scalar constants of the kernel ABI.</summary>");
        sb.AppendLine("public static class BpfConstants");
        sb.AppendLine("{");
        foreach (var (_, name) in AbiTables.Constants)
            if (values.TryGetValue(name, out long value))
                sb.AppendLine($"    public const int {Naming.Pascal(name["BPF_".Length..])} = {value};");
        sb.AppendLine("}");
        return sb.ToString();
    }

    static void Read(string path, Dictionary<string, long> values)
    {
        foreach (string raw in File.ReadLines(path))
        {
            Match m = DefineLine().Match(raw.Trim());
            if (!m.Success) continue;
            long value = m.Groups[2].Success ? long.Parse(m.Groups[2].Value)
                : m.Groups[3].Success ? Convert.ToInt64(m.Groups[3].Value, 16)
                : 1L << int.Parse(m.Groups[4].Value);
            values.TryAdd(m.Groups[1].Value, value);
        }
    }
}
