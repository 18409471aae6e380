using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.Objects;

/// <summary>
/// The kernel configuration <c>.kconfig</c> externs are filled from: <c>CONFIG_X=value</c> lines of /proc/config.gz or
/// /boot/config-RELEASE, plus the values libbpf synthesises (<c>LINUX_KERNEL_VERSION</c>, <c>LINUX_HAS_BPF_COOKIE</c>,
/// <c>LINUX_HAS_SYSCALL_WRAPPER</c>).
/// </summary>
public sealed class Kconfig
{
    readonly Dictionary<string, string> values;

    Kconfig(Dictionary<string, string> values) => this.values = values;

    /// <summary>The raw value of a setting ("y", "m", "123", "\"text\""), or null when it is not set.</summary>
    public string? this[string name] => values.TryGetValue(name, out string? v) ? v : null;

    /// <summary>Reads the running kernel's configuration (or <paramref name="path"/>); a missing file gives an empty configuration.</summary>
    public static Kconfig Load(string? path = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? file = path ?? FindConfigFile();
        if (file != null)
        {
            using Stream raw = File.OpenRead(file);
            bool gzip = raw.ReadByte() == 0x1f && raw.ReadByte() == 0x8b;
            raw.Position = 0;
            using Stream text = gzip ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            using var reader = new StreamReader(text, Encoding.UTF8);
            Parse(reader, values);
        }
        values.TryAdd("LINUX_KERNEL_VERSION", KernelVersionCode().ToString(CultureInfo.InvariantCulture));
        values.TryAdd("LINUX_HAS_BPF_COOKIE", "y");
        values.TryAdd("LINUX_HAS_SYSCALL_WRAPPER", "y");
        return new Kconfig(values);
    }

    /// <summary>Parses configuration text (for tests and explicit files).</summary>
    public static Kconfig Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new StringReader(text);
        Parse(reader, values);
        return new Kconfig(values);
    }

    internal Kconfig With(IReadOnlyDictionary<string, string> overrides)
    {
        if (overrides.Count == 0) return this;
        var copy = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var (k, v) in overrides) copy[k] = v;
        return new Kconfig(copy);
    }

    /// <summary><c>KERNEL_VERSION(major, minor, patch)</c> of the running kernel, patch capped at 255 as the kernel does.</summary>
    public static uint KernelVersionCode()
    {
        string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "0.0.0";
        Span<uint> parts = stackalloc uint[3];
        int i = 0;
        foreach (string piece in release.Split('.', '-', '+'))
        {
            if (i == 3 || !uint.TryParse(piece, NumberStyles.None, CultureInfo.InvariantCulture, out uint n)) break;
            parts[i++] = n;
        }
        return (parts[0] << 16) | (parts[1] << 8) | Math.Min(parts[2], 255u);
    }

    static string? FindConfigFile()
    {
        if (File.Exists("/proc/config.gz")) return "/proc/config.gz";
        string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        string boot = $"/boot/config-{release}";
        return File.Exists(boot) ? boot : null;
    }

    static void Parse(TextReader reader, Dictionary<string, string> values)
    {
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith("CONFIG_", StringComparison.Ordinal)) continue;
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            values[line[..eq]] = line[(eq + 1)..];
        }
    }

    /// <summary>
    /// Writes the value of <paramref name="ext"/> into the <c>.kconfig</c> map contents, converting it to the extern's
    /// C type (bool, tristate enum, char, integers of 1–8 bytes, char arrays). Returns false when the setting is absent.
    /// </summary>
    internal bool TryWrite(ExternDefinition ext, BtfSpec btf, Span<byte> contents, string objectName)
    {
        string? raw = this[ext.Name];
        if (raw is null) return false;
        Span<byte> slot = contents.Slice((int)ext.Offset, (int)ext.Size);
        BtfType type = btf.SkipModifiers(btf[ext.BtfTypeId].Kind == BtfKind.Var ? btf[ext.BtfTypeId].TypeId : ext.BtfTypeId);
        string where = $"extern '{ext.Name}'";
        // The C types libbpf accepts, classified its way: a 1-byte bool; any other 1-byte integer is a char (clang
        // writes plain char as a signed INT); wider integers; enum libbpf_tristate; char arrays for strings.
        bool tristateLetter = raw is "y" or "n" or "m";
        switch (type.Kind)
        {
            case BtfKind.Int when (type.IntEncoding & 4) != 0 && type.Size == 1: // bool
                slot[0] = raw switch
                {
                    "y" or "1" => 1,
                    "n" or "0" => 0,
                    _ => throw new BpfObjectException(objectName, where, $"is a bool but the kernel config says '{raw}' (only y, n, 0 or 1 fit a bool; use enum libbpf_tristate for m)."),
                };
                return true;
            case BtfKind.Int when type.Size == 1 && tristateLetter: // char: the letter itself
                slot[0] = (byte)raw[0];
                return true;
            case BtfKind.Enum when type.Name == "libbpf_tristate":
                if (!tristateLetter)
                    throw new BpfObjectException(objectName, where, $"is a tristate enum but the kernel config says '{raw}'.");
                WriteInteger(slot, raw switch { "y" => 1, "m" => 2, _ => 0 });
                return true;
            case BtfKind.Int when type.Size is 1 or 2 or 4 or 8:
                if (tristateLetter)
                    throw new BpfObjectException(objectName, where, $"is an integer but the kernel config value is '{raw}'; declare it as bool, char or enum libbpf_tristate.");
                if (!TryParseInteger(raw, out long number))
                    throw new BpfObjectException(objectName, where, $"is an integer but the kernel config value '{raw}' is not a number.");
                if (!Fits(number, (int)type.Size, (type.IntEncoding & 1) != 0))
                    throw new BpfObjectException(objectName, where, $"value {raw} does not fit in {type.Size} byte(s).");
                WriteInteger(slot, number);
                return true;
            case BtfKind.Array when btf.SkipModifiers(type.ElementTypeId) is { Kind: BtfKind.Int, Size: 1 }:
                if (raw.Length < 2 || raw[0] != '"' || raw[^1] != '"')
                    throw new BpfObjectException(objectName, where, $"is a char array but the kernel config value {raw} is not a string.");
                byte[] text = Encoding.UTF8.GetBytes(raw[1..^1]);
                slot.Clear();
                text.AsSpan(0, Math.Min(text.Length, slot.Length - 1)).CopyTo(slot); // truncated like libbpf, always NUL-terminated
                return true;
            default:
                throw new BpfObjectException(objectName, where, $"has type {type.Kind} '{type.Name}', which a kconfig extern cannot have (use bool, char, an integer, enum libbpf_tristate or char[]).");
        }
    }

    static bool TryParseInteger(string raw, out long value)
    {
        if (raw.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            bool ok = ulong.TryParse(raw.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong u);
            value = (long)u;
            return ok;
        }
        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    static bool Fits(long value, int size, bool signed) => size >= 8 || (signed
        ? value >= -(1L << (size * 8 - 1)) && value < (1L << (size * 8 - 1))
        : value >= 0 && value < (1L << (size * 8)));

    static void WriteInteger(Span<byte> slot, long value)
    {
        Span<byte> full = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(full, value);
        full[..Math.Min(8, slot.Length)].CopyTo(slot);
    }
}
