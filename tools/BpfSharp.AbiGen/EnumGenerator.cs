using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.AbiGen;

static class EnumGenerator
{
    public static string Generate(BtfSpec btf, string source)
    {
        var sb = new StringBuilder(Naming.Header(source));
        sb.AppendLine("namespace BpfSharp.Abi;");
        foreach (var spec in AbiTables.Enums)
        {
            BtfType type = FindEnum(btf, spec);
            sb.AppendLine();
            sb.AppendLine($"/// <summary>{spec.Summary}</summary>");
            if (spec.Flags) sb.AppendLine("[Flags]");
            sb.AppendLine($"public enum {spec.CSharpName} : {spec.UnderlyingType}");
            sb.AppendLine("{");
            if (spec.Flags && !type.EnumValues.Any(v => v.Value == 0)) sb.AppendLine("    None = 0,");
            foreach (var (name, value) in Members(type, spec.Prefix))
                sb.AppendLine($"    {name} = {value},");
            sb.AppendLine("}");
        }
        return sb.ToString();
    }

    /// <summary>The kernel's name of each helper id (<c>bpf_map_lookup_elem</c>), as the verifier log prints it.</summary>
    public static string GenerateHelperNames(BtfSpec btf, string source)
    {
        BtfType helpers = btf.Find("bpf_func_id", BtfKind.Enum) ?? throw new InvalidOperationException("no enum bpf_func_id in BTF");
        var sb = new StringBuilder(Naming.Header(source));
        sb.AppendLine("namespace BpfSharp.Abi;");
        sb.AppendLine();
        sb.AppendLine("/// <summary>The kernel's names of helper functions, indexed by <see cref=\"BpfHelperId\"/>.</summary>");
        sb.AppendLine("public static partial class BpfHelperNames");
        sb.AppendLine("{");
        sb.AppendLine("    static readonly string[] names =");
        sb.AppendLine("    [");
        long expected = 0;
        foreach (BtfEnumValue v in helpers.EnumValues)
        {
            if (v.Name.StartsWith("__", StringComparison.Ordinal)) continue;
            if (v.Value != expected) throw new InvalidOperationException($"bpf_func_id is not dense at {v.Name}");
            sb.AppendLine($"        \"bpf_{v.Name["BPF_FUNC_".Length..]}\",");
            expected++;
        }
        sb.AppendLine("    ];");
        sb.AppendLine("}");
        return sb.ToString();
    }

    static BtfType FindEnum(BtfSpec btf, AbiTables.EnumSpec spec)
    {
        foreach (BtfType t in btf.Types)
        {
            if (t.Kind is not (BtfKind.Enum or BtfKind.Enum64)) continue;
            if (spec.KernelName != null ? t.Name == spec.KernelName
                : t.Name.Length == 0 && t.EnumValues.Any(v => v.Name == spec.Containing))
                return t;
        }
        throw new InvalidOperationException($"kernel BTF has no enum for {spec.CSharpName}");
    }

    static IEnumerable<(string Name, long Value)> Members(BtfType type, string prefix)
    {
        foreach (BtfEnumValue v in type.EnumValues)
        {
            if (v.Name.StartsWith("__", StringComparison.Ordinal)) continue; // __MAX_BPF_MAP_TYPE and friends
            string name = v.Name;
            if (name.StartsWith(prefix, StringComparison.Ordinal)) name = name[prefix.Length..];
            else if (name.StartsWith("BPF_F_", StringComparison.Ordinal)) name = name["BPF_F_".Length..];
            else if (name.StartsWith("BPF_", StringComparison.Ordinal)) name = name["BPF_".Length..];
            if (name.StartsWith("F_", StringComparison.Ordinal)) name = name[2..];
            yield return (Naming.Pascal(name), v.Value);
        }
    }
}
