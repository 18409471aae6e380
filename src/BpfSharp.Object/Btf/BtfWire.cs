using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Btf;

/// <summary>
/// Facts about the BTF wire format (<c>include/uapi/linux/btf.h</c>) shared by the reader and the builder.
/// </summary>
static class BtfWire
{
    public const ushort Magic = 0xEB9F;
    public const byte Version = 1;
    /// <summary>The header up to and including <c>str_len</c>; newer headers may be longer.</summary>
    public const int HeaderSize = 24;
    /// <summary><c>struct btf_type</c>: name_off, info, size/type.</summary>
    public const int TypeHeaderSize = 12;

    // info: bits 0-23 vlen, bits 24-30 kind, bit 31 kind_flag. Kernels up to 6.x use only 16 bits of vlen and
    // 5 of kind and reject the rest, so reading the wider fields changes nothing for BTF they accept.
    public static BtfKind Kind(uint info) => (BtfKind)((info >> 24) & 0x7f);
    public static int Vlen(uint info) => (int)(info & 0xffffff);
    public static bool KindFlag(uint info) => (info >> 31) != 0;
    public static uint Info(BtfKind kind, int vlen, bool kindFlag) => ((uint)kind << 24) | ((uint)vlen & 0xffffff) | (kindFlag ? 1u << 31 : 0);

    /// <summary>Bytes after the 12-byte header: a fixed part and a part per vlen element; false for unknown kinds.</summary>
    public static bool Trailer(BtfKind kind, out int fixedBytes, out int perElement)
    {
        perElement = 0;
        fixedBytes = 0;
        switch (kind)
        {
            case BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                or BtfKind.Restrict or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag:
                return true;
            case BtfKind.Int or BtfKind.Var or BtfKind.DeclTag:
                fixedBytes = 4;
                return true;
            case BtfKind.Array:
                fixedBytes = 12;
                return true;
            case BtfKind.Struct or BtfKind.Union or BtfKind.Enum64 or BtfKind.DataSection:
                perElement = 12;
                return true;
            case BtfKind.Enum or BtfKind.FuncProto:
                perElement = 8;
                return true;
            default:
                return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadU32(ReadOnlySpan<byte> s, int pos) => BinaryPrimitives.ReadUInt32LittleEndian(s[pos..]);
}
