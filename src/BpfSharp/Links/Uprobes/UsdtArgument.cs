using System.Globalization;

namespace BpfSharp.Links.Uprobes;

/// <summary>Where a USDT argument's value is (libbpf's <c>enum __bpf_usdt_arg_type</c>, same numbers).</summary>
public enum UsdtArgumentKind
{
    /// <summary>A constant (<c>-4@$5</c>): the value is <see cref="UsdtArgument.Value"/>.</summary>
    Constant = 0,
    /// <summary>A register (<c>-4@%edi</c>).</summary>
    Register = 1,
    /// <summary>Memory at a register plus an offset (<c>8@-16(%rbp)</c>).</summary>
    RegisterDeref = 2,
    /// <summary>
    /// Memory at base + index × scale + offset (<c>1@-96(%rbp,%rax,8)</c>). libbpf 1.1's <c>usdt.bpf.h</c> does not read
    /// this kind (its <c>bpf_usdt_arg</c> returns -EINVAL); newer headers do.
    /// </summary>
    ScaledIndex = 3,
}

/// <summary>
/// One USDT argument as its spec describes it: size and signedness (<c>-4</c> = signed 32-bit) and location, with the
/// registers already turned into offsets in the traced architecture's <c>struct pt_regs</c>.
/// </summary>
/// <param name="Kind">Constant, register, memory.</param>
/// <param name="Size">1, 2, 4 or 8 bytes.</param>
/// <param name="Signed">Sign-extend to 64 bits (a negative size in the spec).</param>
/// <param name="Value">The constant, or the memory offset.</param>
/// <param name="Register">The register's name as written (<c>edi</c>), or null for a constant.</param>
/// <param name="RegisterOffset">Its offset in <c>struct pt_regs</c>.</param>
/// <param name="IndexRegister">The index register of <see cref="UsdtArgumentKind.ScaledIndex"/>.</param>
/// <param name="IndexRegisterOffset">Its offset in <c>struct pt_regs</c>.</param>
/// <param name="ScaleShift">log2 of the index scale (0–3).</param>
public readonly record struct UsdtArgument(
    UsdtArgumentKind Kind,
    int Size,
    bool Signed,
    long Value,
    string? Register,
    short RegisterOffset,
    string? IndexRegister = null,
    short IndexRegisterOffset = 0,
    byte ScaleShift = 0)
{
    /// <summary>Most arguments one site can carry (libbpf's <c>BPF_USDT_MAX_ARG_CNT</c>).</summary>
    public const int MaxCount = 12;

    /// <summary>
    /// Parses a site's argument spec (<c>-4@%edi 8@-16(%rbp) -4@$5</c>) for the machine the binary was built for
    /// (<c>e_machine</c>: x86-64 and arm64 are understood).
    /// </summary>
    /// <exception cref="UprobeTargetException">An argument this reader cannot place, or more than <see cref="MaxCount"/>.</exception>
    public static IReadOnlyList<UsdtArgument> ParseAll(string spec, ushort machine)
    {
        ArgumentNullException.ThrowIfNull(spec);
        List<string> parts = Split(spec);
        if (parts.Count > MaxCount)
            throw new UprobeTargetException($"USDT argument spec '{spec}' has {parts.Count} arguments; libbpf's protocol carries at most {MaxCount}.");
        var result = new UsdtArgument[parts.Count];
        for (int i = 0; i < parts.Count; i++)
            result[i] = Parse(parts[i], machine, i, spec);
        return result;
    }

    /// <summary>Splits at blanks outside brackets and parentheses (arm64 writes <c>-4@[sp, 96]</c>).</summary>
    static List<string> Split(string spec)
    {
        var parts = new List<string>();
        int depth = 0, start = -1;
        for (int i = 0; i <= spec.Length; i++)
        {
            char c = i < spec.Length ? spec[i] : ' ';
            if (c is '[' or '(') depth++;
            else if (c is ']' or ')') depth = Math.Max(0, depth - 1);
            bool blank = char.IsWhiteSpace(c) && depth == 0;
            if (!blank && start < 0) start = i;
            else if (blank && start >= 0)
            {
                parts.Add(spec[start..i]);
                start = -1;
            }
        }
        return parts;
    }

    static UsdtArgument Parse(string argument, ushort machine, int index, string spec)
    {
        int at = argument.IndexOf('@');
        if (at <= 0 || !int.TryParse(argument.AsSpan(0, at), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int size))
            throw Unsupported(argument, index, spec, "expected SIZE@LOCATION, e.g. -4@%edi");
        bool signed = size < 0;
        size = Math.Abs(size);
        if (size is not (1 or 2 or 4 or 8))
            throw Unsupported(argument, index, spec, $"size {size} is not 1, 2, 4 or 8 bytes");
        string location = argument[(at + 1)..];
        UsdtArgument? parsed = machine switch
        {
            62 => ParseX86(location, size, signed),
            183 => ParseArm64(location, size, signed),
            _ => throw new UprobeTargetException($"USDT arguments of machine {machine} (e_machine) are not understood here; x86-64 (62) and arm64 (183) are."),
        };
        return parsed ?? throw Unsupported(argument, index, spec,
            machine == 62 ? "expected $CONST, %REG, OFFSET(%REG) or OFFSET(%BASE,%INDEX,SCALE)" : "expected CONST, xN, [xN] or [xN, OFFSET]");
    }

    static UprobeTargetException Unsupported(string argument, int index, string spec, string why) =>
        new($"USDT argument {index} '{argument}' (of '{spec}') cannot be read: {why}.");

    static UsdtArgument? ParseX86(string location, int size, bool signed)
    {
        if (location.StartsWith('$'))
            return TryParseInteger(location[1..], out long constant) ? new UsdtArgument(UsdtArgumentKind.Constant, size, signed, constant, null, 0) : null;
        if (location.StartsWith('%'))
            return X86Register(location[1..]) is { } r ? new UsdtArgument(UsdtArgumentKind.Register, size, signed, 0, location[1..], r) : null;
        int open = location.IndexOf('(');
        if (open < 0 || !location.EndsWith(')')) return null;
        long offset = 0;
        if (open > 0 && !TryParseInteger(location[..open], out offset)) return null;
        string[] inside = location[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        if (inside.Length == 0 || !inside[0].StartsWith('%') || X86Register(inside[0][1..]) is not { } baseOffset) return null;
        if (inside.Length == 1)
            return new UsdtArgument(UsdtArgumentKind.RegisterDeref, size, signed, offset, inside[0][1..], baseOffset);
        if (inside.Length > 3 || !inside[1].StartsWith('%') || X86Register(inside[1][1..]) is not { } indexOffset) return null;
        byte shift = 0;
        if (inside.Length == 3)
        {
            int? s = inside[2] switch { "1" => 0, "2" => 1, "4" => 2, "8" => 3, _ => null };
            if (s is null) return null;
            shift = (byte)s;
        }
        return new UsdtArgument(UsdtArgumentKind.ScaledIndex, size, signed, offset, inside[0][1..], baseOffset, inside[1][1..], indexOffset, shift);
    }

    /// <summary>x86-64 register name (any width) → offset in <c>struct pt_regs</c>.</summary>
    internal static short? X86Register(string name) => name switch
    {
        "r15" or "r15d" or "r15w" or "r15b" => 0,
        "r14" or "r14d" or "r14w" or "r14b" => 8,
        "r13" or "r13d" or "r13w" or "r13b" => 16,
        "r12" or "r12d" or "r12w" or "r12b" => 24,
        "rbp" or "ebp" or "bp" or "bpl" => 32,
        "rbx" or "ebx" or "bx" or "bl" => 40,
        "r11" or "r11d" or "r11w" or "r11b" => 48,
        "r10" or "r10d" or "r10w" or "r10b" => 56,
        "r9" or "r9d" or "r9w" or "r9b" => 64,
        "r8" or "r8d" or "r8w" or "r8b" => 72,
        "rax" or "eax" or "ax" or "al" => 80,
        "rcx" or "ecx" or "cx" or "cl" => 88,
        "rdx" or "edx" or "dx" or "dl" => 96,
        "rsi" or "esi" or "si" or "sil" => 104,
        "rdi" or "edi" or "di" or "dil" => 112,
        "rip" or "eip" => 128,
        "rsp" or "esp" or "sp" or "spl" => 152,
        _ => null,
    };

    static UsdtArgument? ParseArm64(string location, int size, bool signed)
    {
        if (location.StartsWith('['))
        {
            if (!location.EndsWith(']')) return null;
            string[] inside = location[1..^1].Split(',', StringSplitOptions.TrimEntries);
            if (Arm64Register(inside[0]) is not { } r) return null;
            long offset = 0;
            if (inside.Length > 2 || (inside.Length == 2 && !TryParseInteger(inside[1].TrimStart('#'), out offset))) return null;
            return new UsdtArgument(UsdtArgumentKind.RegisterDeref, size, signed, offset, inside[0], r);
        }
        if (TryParseInteger(location.TrimStart('#'), out long constant))
            return new UsdtArgument(UsdtArgumentKind.Constant, size, signed, constant, null, 0);
        return Arm64Register(location) is { } reg ? new UsdtArgument(UsdtArgumentKind.Register, size, signed, 0, location, reg) : null;
    }

    /// <summary>arm64 register name → offset in <c>struct user_pt_regs</c> (x0–x30, w0–w30, sp).</summary>
    internal static short? Arm64Register(string name)
    {
        if (name == "sp") return 31 * 8;
        if (name.Length >= 2 && name[0] is 'x' or 'w' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 30)
            return (short)(n * 8);
        return null;
    }

    static bool TryParseInteger(string text, out long value)
    {
        bool negative = text.StartsWith('-');
        string digits = negative || text.StartsWith('+') ? text[1..] : text;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (negative) value = -value;
        return ok && digits.Length > 0;
    }

    public override string ToString() => Kind switch
    {
        UsdtArgumentKind.Constant => $"{(Signed ? "s" : "u")}{Size * 8} constant {Value}",
        UsdtArgumentKind.Register => $"{(Signed ? "s" : "u")}{Size * 8} in {Register}",
        UsdtArgumentKind.RegisterDeref => $"{(Signed ? "s" : "u")}{Size * 8} at {Register}{Value:+0;-0}",
        _ => $"{(Signed ? "s" : "u")}{Size * 8} at {Register}+{IndexRegister}*{1 << ScaleShift}{Value:+0;-0}",
    };
}
