using System.Globalization;

namespace BpfSharp.Links.Uprobes;

/// <summary>Which of libbpf's user-space probe section families a section name belongs to.</summary>
public enum UprobeSectionKind
{
    /// <summary><c>uprobe/PATH:FUNC[+OFFSET]</c>, <c>uprobe.s/…</c>.</summary>
    Uprobe,
    /// <summary><c>uretprobe/PATH:FUNC</c>, <c>uretprobe.s/…</c>.</summary>
    Uretprobe,
    /// <summary><c>uprobe.multi/PATH:PATTERN</c>, <c>uprobe.multi.s/…</c>.</summary>
    UprobeMulti,
    /// <summary><c>uretprobe.multi/PATH:PATTERN</c>, <c>uretprobe.multi.s/…</c>.</summary>
    UretprobeMulti,
    /// <summary><c>usdt/PATH:PROVIDER:NAME</c>, <c>usdt.s/…</c>.</summary>
    Usdt,
}

/// <summary>
/// A section name in one of libbpf's uprobe forms, taken apart: <c>uprobe/PATH:FUNC[+OFFSET]</c>,
/// <c>uretprobe/PATH:FUNC</c>, <c>uprobe.multi/PATH:PATTERN</c>, <c>uretprobe.multi/PATH:PATTERN</c>,
/// <c>usdt/PATH:PROVIDER:NAME</c>, each also with <c>.s</c> (sleepable). PATH may itself start with '/'
/// (<c>uprobe//usr/lib/libc.so.6:malloc</c>) or be a bare library or program name. A bare prefix (<c>SEC("uprobe")</c>)
/// has no target: <see cref="Binary"/> is null, and like libbpf nothing is attached automatically.
/// </summary>
public sealed record UprobeSection(UprobeSectionKind Kind, bool Sleepable, string? Binary)
{
    /// <summary>The function (uprobe/uretprobe), or the glob pattern (multi); null for a raw offset or USDT.</summary>
    public string? Function { get; init; }

    /// <summary>Bytes past the function's start (<c>FUNC+0x10</c>), or the raw file offset when no function is named (<c>PATH:0x1234</c>).</summary>
    public ulong Offset { get; init; }

    /// <summary>The USDT provider.</summary>
    public string? Provider { get; init; }

    /// <summary>The USDT probe name.</summary>
    public string? Name { get; init; }

    public bool IsRetprobe => Kind is UprobeSectionKind.Uretprobe or UprobeSectionKind.UretprobeMulti;

    /// <summary>The parsed form of <paramref name="section"/>, or null when it is not a uprobe, uprobe.multi or USDT section.</summary>
    /// <exception cref="ArgumentException">It is one of them but malformed; the message shows the expected form.</exception>
    public static UprobeSection? Parse(string section)
    {
        ArgumentNullException.ThrowIfNull(section);
        int slash = section.IndexOf('/');
        string prefix = slash < 0 ? section : section[..slash];
        bool sleepable = prefix.EndsWith(".s", StringComparison.Ordinal);
        UprobeSectionKind? kind = (sleepable ? prefix[..^2] : prefix) switch
        {
            "uprobe" => UprobeSectionKind.Uprobe,
            "uretprobe" => UprobeSectionKind.Uretprobe,
            "uprobe.multi" => UprobeSectionKind.UprobeMulti,
            "uretprobe.multi" => UprobeSectionKind.UretprobeMulti,
            "usdt" => UprobeSectionKind.Usdt,
            _ => null,
        };
        if (kind is not { } k) return null;
        if (slash < 0) return new UprobeSection(k, sleepable, null);

        string target = section[(slash + 1)..];
        int colon = target.IndexOf(':');
        if (colon <= 0 || colon == target.Length - 1)
            throw Malformed(section, k);
        string binary = target[..colon];
        string rest = target[(colon + 1)..];
        switch (k)
        {
            case UprobeSectionKind.Usdt:
            {
                int second = rest.IndexOf(':');
                if (second <= 0 || second == rest.Length - 1 || rest.IndexOf(':', second + 1) >= 0) throw Malformed(section, k);
                return new UprobeSection(k, sleepable, binary) { Provider = rest[..second], Name = rest[(second + 1)..] };
            }
            case UprobeSectionKind.UprobeMulti or UprobeSectionKind.UretprobeMulti:
                return new UprobeSection(k, sleepable, binary) { Function = rest };
            default:
            {
                if (TryParseNumber(rest, out ulong raw)) return new UprobeSection(k, sleepable, binary) { Offset = raw };
                string function = rest;
                ulong offset = 0;
                int plus = rest.LastIndexOf('+');
                if (plus > 0 && TryParseNumber(rest[(plus + 1)..], out ulong after))
                {
                    function = rest[..plus];
                    offset = after;
                }
                if (k == UprobeSectionKind.Uretprobe && offset != 0)
                    throw new ArgumentException($"section '{section}': a uretprobe fires when a function returns, so it takes a function, not FUNC+OFFSET.", nameof(section));
                return new UprobeSection(k, sleepable, binary) { Function = function, Offset = offset };
            }
        }
    }

    /// <summary>Reads <c>0x1f</c>, <c>017</c> (octal, as C's <c>%li</c>) or <c>31</c>.</summary>
    internal static bool TryParseNumber(string text, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || !char.IsAsciiDigit(text[0])) return false;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return text.Length > 2 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        if (text.Length > 1 && text[0] == '0')
        {
            foreach (char c in text.AsSpan(1))
            {
                if (c is < '0' or > '7') return false;
                value = value * 8 + (ulong)(c - '0');
            }
            return true;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    static ArgumentException Malformed(string section, UprobeSectionKind kind) => new(
        $"section '{section}' is malformed; expected {kind switch
        {
            UprobeSectionKind.Usdt => "usdt/PATH:PROVIDER:NAME",
            UprobeSectionKind.UprobeMulti => "uprobe.multi/PATH:PATTERN",
            UprobeSectionKind.UretprobeMulti => "uretprobe.multi/PATH:PATTERN",
            UprobeSectionKind.Uretprobe => "uretprobe/PATH:FUNCTION",
            _ => "uprobe/PATH:FUNCTION[+OFFSET]",
        }} (PATH a file path or a library name such as libc.so.6).",
        nameof(section));
}
