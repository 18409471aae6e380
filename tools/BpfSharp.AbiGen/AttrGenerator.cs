using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.AbiGen;

/// <summary>One C# struct per member of <c>union bpf_attr</c>: the attribute block of each bpf(2) command.</summary>
static class AttrGenerator
{
    public static string Generate(BtfSpec btf, string source)
    {
        BtfType attr = btf.Find("bpf_attr", BtfKind.Union) ?? throw new InvalidOperationException("no union bpf_attr in BTF");
        var sb = new StringBuilder(Naming.Header(source));
        sb.AppendLine("using System.Runtime.InteropServices;");
        sb.AppendLine();
        sb.AppendLine("namespace BpfSharp.Abi;");
        foreach (BtfMember member in attr.Members)
        {
            BtfType t = btf.SkipModifiers(member.TypeId);
            string key = member.Name.Length > 0 ? member.Name : FirstLeafName(btf, t);
            if (!AbiTables.AttrNames.TryGetValue(key, out string? csName))
                throw new InvalidOperationException($"union bpf_attr has a member '{key}' that AbiTables.AttrNames does not name; add it.");
            sb.AppendLine();
            string what = member.Name.Length > 0 ? $"<c>bpf_attr.{member.Name}</c>" : $"anonymous <c>bpf_attr</c> member starting with <c>{key}</c>";
            StructGenerator.AppendStruct(sb, btf, t, csName, what);
        }
        return sb.ToString();
    }

    static string FirstLeafName(BtfSpec btf, BtfType aggregate)
    {
        BtfMember first = aggregate.Members[0];
        if (first.Name.Length > 0) return first.Name;
        return FirstLeafName(btf, btf.SkipModifiers(first.TypeId));
    }
}
