using System.Buffers.Binary;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// libbpf's <c>struct __bpf_usdt_spec</c>, the value of the <c>__bpf_usdt_specs</c> array map that
/// <c>&lt;bpf/usdt.bpf.h&gt;</c> declares: how to fetch each argument of one call site, plus the user's USDT cookie.
/// The program finds its spec through the BPF cookie, which holds the spec's index in that map.
/// </summary>
/// <remarks>
/// Layout (little-endian): 12 × <c>struct __bpf_usdt_arg_spec</c> of 16 bytes — <c>u64 val_off</c>; a 32-bit word with
/// <c>arg_type</c> in bits 0–7 (bits 8–19 <c>idx_reg_off</c> and 20–23 <c>scale_bitshift</c> for the scaled-index kind of
/// newer headers; libbpf 1.1 declares the word as a plain enum, which reads the same for the other kinds);
/// <c>short reg_off</c>; <c>bool arg_signed</c>; <c>char arg_bitshift</c> — then <c>u64 usdt_cookie</c> at 192 and
/// <c>short arg_cnt</c> at 200: 208 bytes.
/// </remarks>
public static class UsdtSpec
{
    /// <summary><c>sizeof(struct __bpf_usdt_spec)</c>.</summary>
    public const int Size = 208;

    /// <summary>The name <c>usdt.bpf.h</c> gives the spec map.</summary>
    public const string MapName = "__bpf_usdt_specs";

    const int ArgumentSize = 16;
    const int CookieOffset = UsdtArgument.MaxCount * ArgumentSize;
    const int CountOffset = CookieOffset + 8;

    /// <summary>The map value for a site with <paramref name="arguments"/> and the user's <paramref name="usdtCookie"/>.</summary>
    public static byte[] Encode(IReadOnlyList<UsdtArgument> arguments, ulong usdtCookie)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count > UsdtArgument.MaxCount)
            throw new ArgumentException($"{arguments.Count} arguments; a spec holds at most {UsdtArgument.MaxCount}.", nameof(arguments));
        byte[] value = new byte[Size];
        for (int i = 0; i < arguments.Count; i++)
        {
            UsdtArgument a = arguments[i];
            Span<byte> slot = value.AsSpan(i * ArgumentSize, ArgumentSize);
            BinaryPrimitives.WriteInt64LittleEndian(slot, a.Value);
            // The 16-byte argument spec of <bpf/usdt.bpf.h> up to libbpf 1.4 (the one installed here) has no room for an
            // index register; newer headers widen the spec to 24 bytes, which the value-size check refuses.
            if (a.Kind == UsdtArgumentKind.ScaledIndex)
                throw new UprobeTargetException(
                    $"USDT argument {i + 1} is a scaled-index memory operand (base + index * scale), which the 16-byte argument " +
                    "spec of <bpf/usdt.bpf.h> (libbpf 1.1–1.4) cannot describe: its bpf_usdt_arg() would fail with -EINVAL. " +
                    "Read that argument another way (e.g. from the registers in pt_regs), or build the probe so the compiler places it in a register.");
            uint word = (uint)a.Kind & 0xff;
            BinaryPrimitives.WriteUInt32LittleEndian(slot[8..], word);
            BinaryPrimitives.WriteInt16LittleEndian(slot[12..], a.RegisterOffset);
            slot[14] = a.Signed ? (byte)1 : (byte)0;
            slot[15] = (byte)(64 - a.Size * 8); // bits to clear (and sign-extend) when widening to 64
        }
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(CookieOffset), usdtCookie);
        BinaryPrimitives.WriteInt16LittleEndian(value.AsSpan(CountOffset), (short)arguments.Count);
        return value;
    }
}
