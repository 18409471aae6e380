using System.Text;

namespace BpfSharp.Compiler.Emit;

/// <summary>Turns C# names into valid C identifiers, which the kernel demands for BTF type, member, function and variable names.</summary>
internal static class CIdentifier
{
    static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern", "float",
        "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed", "sizeof", "static",
        "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
    };

    /// <summary>
    /// <paramref name="name"/> with every character outside [A-Za-z0-9_] replaced by '_', a '_' before a leading digit,
    /// and a trailing '_' on C keywords; backing fields (<c>&lt;P&gt;k__BackingField</c>) become the property's name.
    /// </summary>
    public static string From(string name)
    {
        name = Types.MapTypeChecker.FieldName(name);
        if (name.Length == 0) return "_";
        var sb = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0])) sb.Append('_');
        foreach (char c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        string result = sb.ToString();
        return Keywords.Contains(result) ? result + "_" : result;
    }

    /// <summary><paramref name="name"/>, or <c>name_2</c>, <c>name_3</c> … the first that <paramref name="taken"/> says is free.</summary>
    public static string Unique(string name, Func<string, bool> taken)
    {
        if (!taken(name)) return name;
        for (int i = 2; ; i++)
            if (!taken($"{name}_{i}")) return $"{name}_{i}";
    }

    /// <summary>True when <paramref name="name"/> is a valid C identifier (as the kernel's BTF checks it).</summary>
    public static bool IsValid(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
