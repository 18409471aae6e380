using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Btf;

namespace BpfSharp.Object.Tests.Btf.Dump;

/// <summary>
/// C static assertions that a header's structs and unions have the size and member offsets their BTF records:
/// compiled together with a dumped header they prove the dump reproduces the layout.
/// </summary>
static class LayoutAsserts
{
    /// <summary>Asserts for every struct/union whose name is unique (so the header spells it without a ___N suffix).</summary>
    public static (string Source, int Types, int Checks) For(BtfSpec spec, Func<BtfType, bool>? include = null)
    {
        var c = new StringBuilder();
        int types = 0, checks = 0;
        foreach (BtfType t in spec.Types)
        {
            if (t.Kind is not (BtfKind.Struct or BtfKind.Union) || t.Name.Length == 0) continue;
            if (include is not null && !include(t)) continue;
            if (spec.FindByName(t.Name).Count(o => o.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Int) != 1)
                continue;
            string tag = t.Kind == BtfKind.Struct ? "struct" : "union";
            types++;
            checks++;
            c.Append($"_Static_assert(sizeof({tag} {t.Name}) == {t.Size}, \"LAYOUT[{t.Name}]\");\n");
            foreach (BtfMember m in t.Members)
            {
                if (m.Name.Length == 0 || m.BitfieldSize != 0 || m.BitOffset % 8 != 0 || IsOldStyleBitfield(spec, m)) continue;
                checks++;
                c.Append($"_Static_assert(__builtin_offsetof({tag} {t.Name}, {m.Name}) == {m.BitOffset / 8}, \"LAYOUT[{t.Name}.{m.Name}]\");\n");
            }
        }
        return (c.ToString(), types, checks);
    }

    /// <summary>Without the kind flag a bitfield is an INT narrower than its size.</summary>
    static bool IsOldStyleBitfield(BtfSpec spec, BtfMember m)
    {
        BtfType t = spec.SkipModifiers(m.TypeId);
        return t.Kind == BtfKind.Int && (t.IntBits != t.Size * 8 || t.IntOffset != 0);
    }

    /// <summary>The checks clang reports as failed: <c>NAME</c> (its size) or <c>NAME.member</c> (an offset).</summary>
    public static List<string> Failures(string clangErrors) =>
        [.. Regex.Matches(clangErrors, @"static assertion failed.*LAYOUT\[([^\]]+)\]").Select(m => m.Groups[1].Value)];
}
