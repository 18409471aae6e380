using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Btf.Values;

/// <summary>
/// Decodes bytes laid out as a BTF type and hands the pieces to an <see cref="IBtfValueSink"/>: structs, unions and
/// data sections as objects (members of anonymous nested structs and unions lifted into their parent, as C names them),
/// arrays (a printable NUL-terminated <c>char</c> array as a string), integers with their sign, bitfields extracted and
/// sign-extended, bools, enums by enumerator name (the number when none matches), floats, and pointers and 128-bit
/// integers in hex. Values are little-endian, as on the machines BPF runs on.
/// </summary>
sealed class BtfValueWalker(BtfSpec btf, IBtfValueSink sink)
{
    const int MaxDepth = 64;

    public void Walk(uint typeId, ReadOnlySpan<byte> data, int depth = 0)
    {
        if (depth > MaxDepth) throw new BtfFormatException($"BTF type {typeId} nests deeper than {MaxDepth} levels (a cycle?).");
        BtfType t = btf.SkipModifiers(typeId);
        switch (t.Kind)
        {
            case BtfKind.Var:
                Walk(t.TypeId, data, depth + 1);
                break;
            case BtfKind.Int:
                Int(t, data);
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                Enum(t, ReadUnsigned(Slice(data, 0, t.Size, t), (int)t.Size), (int)t.Size * 8);
                break;
            case BtfKind.Pointer:
                sink.Hex("0x" + ReadUnsigned(Slice(data, 0, 8, t), 8).ToString("x"));
                break;
            case BtfKind.Float:
                Float(t, Slice(data, 0, t.Size, t));
                break;
            case BtfKind.Array:
                Array(t, data, depth);
                break;
            case BtfKind.Struct or BtfKind.Union:
                sink.BeginObject();
                Members(t, data, depth);
                sink.EndObject();
                break;
            case BtfKind.DataSection:
                sink.BeginObject();
                foreach (BtfSectionVariable v in t.Variables)
                {
                    sink.Name(btf[v.TypeId].Name);
                    Walk(v.TypeId, Slice(data, v.Offset, v.Size, t), depth + 1);
                }
                sink.EndObject();
                break;
            default:
                sink.Opaque(t.Kind == BtfKind.Unknown ? "void" : t.Kind.ToString());
                break;
        }
    }

    void Members(BtfType composite, ReadOnlySpan<byte> data, int depth)
    {
        foreach (BtfMember m in composite.Members)
        {
            BtfType type = btf.SkipModifiers(m.TypeId);
            bool bitfield = m.IsBitfield || m.BitOffset % 8 != 0;
            if (m.Name.Length == 0)
            {
                // An anonymous struct/union's members belong to the parent; an unnamed bitfield is padding.
                if (!bitfield && type.IsComposite) Members(type, Slice(data, m.BitOffset / 8, type.Size, composite), depth + 1);
                continue;
            }
            sink.Name(m.Name);
            if (bitfield)
            {
                int bits = m.IsBitfield ? m.BitfieldSize : IntBits(type);
                Bits(type, ExtractBits(data, m.BitOffset, bits, composite), bits);
            }
            else
            {
                Walk(m.TypeId, Slice(data, m.BitOffset / 8, (uint)btf.SizeOf(m.TypeId), composite), depth + 1);
            }
        }
    }

    void Int(BtfType t, ReadOnlySpan<byte> data)
    {
        int size = (int)t.Size;
        ReadOnlySpan<byte> bytes = Slice(data, 0, t.Size, t);
        if (size > 8)
        {
            UInt128 wide = size == 16 ? BinaryPrimitives.ReadUInt128LittleEndian(bytes) : 0;
            sink.Hex("0x" + wide.ToString("x"));
            return;
        }
        if (t.IntOffset != 0 || t.IntBits < size * 8)
        {
            // An INT narrower than its storage (the old way of encoding bitfields).
            Bits(t, ExtractBits(bytes, t.IntOffset, t.IntBits, t), t.IntBits);
            return;
        }
        Bits(t, ReadUnsigned(bytes, size), size * 8);
    }

    /// <summary>A value of <paramref name="bits"/> bits (zero-extended in <paramref name="raw"/>) shown as <paramref name="type"/> says.</summary>
    void Bits(BtfType type, ulong raw, int bits)
    {
        switch (type.Kind)
        {
            case BtfKind.Int when type.IsBool:
                sink.Bool(raw != 0);
                break;
            case BtfKind.Int when type.IsSigned:
                sink.Signed(SignExtend(raw, bits));
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                Enum(type, raw, bits);
                break;
            default:
                sink.Unsigned(raw);
                break;
        }
    }

    void Enum(BtfType t, ulong raw, int bits)
    {
        ulong mask = bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;
        foreach (BtfEnumValue e in t.EnumValues)
        {
            if (((ulong)e.Value & mask) == (raw & mask))
            {
                sink.Enumerator(e.Name);
                return;
            }
        }
        if (t.IsSignedEnum) sink.Signed(SignExtend(raw, bits));
        else sink.Unsigned(raw);
    }

    void Float(BtfType t, ReadOnlySpan<byte> bytes)
    {
        switch (t.Size)
        {
            case 2: sink.Float((double)BinaryPrimitives.ReadHalfLittleEndian(bytes), 2); break;
            case 4: sink.Float(BinaryPrimitives.ReadSingleLittleEndian(bytes), 4); break;
            case 8: sink.Float(BinaryPrimitives.ReadDoubleLittleEndian(bytes), 8); break;
            default: sink.Hex("0x" + Convert.ToHexStringLower(Reversed(bytes))); break; // long double: its bits
        }
    }

    void Array(BtfType t, ReadOnlySpan<byte> data, int depth)
    {
        BtfType element = btf.SkipModifiers(t.ElementTypeId);
        long elementSize = btf.SizeOf(t.ElementTypeId);
        ReadOnlySpan<byte> all = Slice(data, 0, (uint)(elementSize * t.ElementCount), t);
        if (IsCharType(element) && PrintableString(all) is { } text)
        {
            sink.String(text);
            return;
        }
        sink.BeginArray(element.IsComposite || element.Kind is BtfKind.Array or BtfKind.DataSection);
        for (uint i = 0; i < t.ElementCount; i++)
            Walk(t.ElementTypeId, all.Slice((int)(i * elementSize), (int)elementSize), depth + 1);
        sink.EndArray();
    }

    /// <summary>Plain <c>char</c> (or an INT with the char encoding): not <c>unsigned char</c>, which is how <c>__u8</c> byte arrays are declared.</summary>
    static bool IsCharType(BtfType t) => t.Kind == BtfKind.Int && t.Size == 1 && (t.IsChar || t.Name is "char" or "signed char");

    /// <summary>The text before the first NUL when every byte of it is printable ASCII; null when there is no NUL or a byte is not printable.</summary>
    static string? PrintableString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        if (end < 0) return null;
        foreach (byte b in bytes[..end])
            if (b is < 0x20 or > 0x7e) return null;
        return Encoding.ASCII.GetString(bytes[..end]);
    }

    static int IntBits(BtfType t) => t.Kind == BtfKind.Int ? t.IntBits : (int)t.Size * 8;

    static ulong ReadUnsigned(ReadOnlySpan<byte> bytes, int size) => size switch
    {
        1 => bytes[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        8 => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        _ => ReadAny(bytes, size),
    };

    static ulong ReadAny(ReadOnlySpan<byte> bytes, int size)
    {
        ulong value = 0;
        for (int i = Math.Min(size, 8) - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        return value;
    }

    /// <summary><paramref name="bits"/> bits (at most 64) starting <paramref name="bitOffset"/> bits into <paramref name="data"/>, little-endian bit order.</summary>
    static ulong ExtractBits(ReadOnlySpan<byte> data, uint bitOffset, int bits, BtfType owner)
    {
        if (bits is <= 0 or > 64) throw new BtfFormatException($"BTF type {owner}: a {bits}-bit field cannot be shown (1 to 64 bits).");
        uint first = bitOffset / 8, last = (bitOffset + (uint)bits - 1) / 8;
        ReadOnlySpan<byte> span = Slice(data, first, last - first + 1, owner);
        Span<byte> buffer = stackalloc byte[16];
        buffer.Clear();
        span.CopyTo(buffer);
        UInt128 all = BinaryPrimitives.ReadUInt128LittleEndian(buffer) >> (int)(bitOffset % 8);
        ulong value = (ulong)all;
        return bits == 64 ? value : value & ((1UL << bits) - 1);
    }

    static long SignExtend(ulong raw, int bits) => bits >= 64 ? (long)raw : (long)(raw << (64 - bits)) >> (64 - bits);

    static byte[] Reversed(ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        System.Array.Reverse(copy);
        return copy;
    }

    static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, uint offset, uint length, BtfType owner) =>
        (ulong)offset + length <= (ulong)data.Length
            ? data.Slice((int)offset, (int)length)
            : throw new BtfFormatException($"BTF type {owner} reaches byte {(ulong)offset + length}, past the {data.Length} bytes of the value.");
}
