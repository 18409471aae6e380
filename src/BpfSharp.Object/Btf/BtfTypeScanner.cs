using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Btf;

/// <summary>
/// The one validating pass over a type section: checks every type's kind, that its trailer (members, enumerators,
/// parameters …) fits in the remaining bytes, that every name offset lies in the string table and every referenced
/// type id exists, and records where each type starts. Decoding happens later, on demand.
/// </summary>
static class BtfTypeScanner
{
    /// <param name="blob">The whole blob.</param>
    /// <param name="sections">Its sections.</param>
    /// <param name="firstId">Id of the first type in this blob: 1, or the base's type count for split BTF.</param>
    /// <param name="stringEnd">One past the last valid string offset (base strings included for split BTF).</param>
    /// <param name="count">How many types the section holds.</param>
    /// <returns>Byte offsets (from the start of the blob) of each type's header, index = id - <paramref name="firstId"/>.</returns>
    public static int[] Scan(ReadOnlySpan<byte> blob, BtfSections sections, uint firstId, uint stringEnd, out int count)
    {
        int length = sections.TypesLength;
        int start = sections.TypesStart;
        // The smallest type is 12 bytes, so this bounds the table by the input size.
        int[] offsets = GC.AllocateUninitializedArray<int>(length / BtfWire.TypeHeaderSize);
        ref byte types = ref Unsafe.Add(ref MemoryMarshal.GetReference(blob), start);
        uint maxReference = 0;
        int n = 0;
        int pos = 0;
        while (pos < length)
        {
            uint id = firstId + (uint)n;
            if (length - pos < BtfWire.TypeHeaderSize)
                throw Truncated(id, start + pos, "the 12-byte type header", BtfWire.TypeHeaderSize, length - pos);
            uint nameOff = U32(ref types, pos);
            uint info = U32(ref types, pos + 4);
            uint sizeOrType = U32(ref types, pos + 8);
            if (nameOff >= stringEnd) throw BadName(id, start + pos, nameOff, stringEnd, "name");
            BtfKind kind = BtfWire.Kind(info);
            int vlen = BtfWire.Vlen(info);
            int body = pos + BtfWire.TypeHeaderSize;
            int remaining = length - body;
            switch (kind)
            {
                case BtfKind.Int:
                    if (remaining < 4) throw Truncated(id, start + pos, "the INT encoding", 4, remaining);
                    body += 4;
                    break;
                case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.TypeTag or BtfKind.Func:
                    maxReference = Math.Max(maxReference, sizeOrType);
                    break;
                case BtfKind.Forward or BtfKind.Float:
                    break;
                case BtfKind.Var or BtfKind.DeclTag:
                    if (remaining < 4) throw Truncated(id, start + pos, kind == BtfKind.Var ? "the VAR linkage" : "the DECL_TAG component index", 4, remaining);
                    maxReference = Math.Max(maxReference, sizeOrType);
                    body += 4;
                    break;
                case BtfKind.Array:
                    if (remaining < 12) throw Truncated(id, start + pos, "the ARRAY element, index type and count", 12, remaining);
                    maxReference = Math.Max(maxReference, Math.Max(U32(ref types, body), U32(ref types, body + 4)));
                    body += 12;
                    break;
                case BtfKind.Struct or BtfKind.Union:
                {
                    if (remaining / 12 < vlen) throw Truncated(id, start + pos, $"members (vlen {vlen})", 12L * vlen, remaining);
                    int end = body + 12 * vlen;
                    for (int m = body; m < end; m += 12)
                    {
                        uint member = U32(ref types, m);
                        if (member >= stringEnd) throw BadName(id, start + m, member, stringEnd, "member name");
                        maxReference = Math.Max(maxReference, U32(ref types, m + 4));
                    }
                    body = end;
                    break;
                }
                case BtfKind.Enum or BtfKind.Enum64:
                {
                    int stride = kind == BtfKind.Enum ? 8 : 12;
                    if (remaining / stride < vlen) throw Truncated(id, start + pos, $"enumerators (vlen {vlen})", (long)stride * vlen, remaining);
                    int end = body + stride * vlen;
                    for (int e = body; e < end; e += stride)
                    {
                        uint name = U32(ref types, e);
                        if (name >= stringEnd) throw BadName(id, start + e, name, stringEnd, "enumerator name");
                    }
                    body = end;
                    break;
                }
                case BtfKind.FuncProto:
                {
                    maxReference = Math.Max(maxReference, sizeOrType);
                    if (remaining / 8 < vlen) throw Truncated(id, start + pos, $"parameters (vlen {vlen})", 8L * vlen, remaining);
                    int end = body + 8 * vlen;
                    for (int p = body; p < end; p += 8)
                    {
                        uint name = U32(ref types, p);
                        if (name >= stringEnd) throw BadName(id, start + p, name, stringEnd, "parameter name");
                        maxReference = Math.Max(maxReference, U32(ref types, p + 4));
                    }
                    body = end;
                    break;
                }
                case BtfKind.DataSection:
                {
                    if (remaining / 12 < vlen) throw Truncated(id, start + pos, $"section variables (vlen {vlen})", 12L * vlen, remaining);
                    int end = body + 12 * vlen;
                    for (int v = body; v < end; v += 12)
                        maxReference = Math.Max(maxReference, U32(ref types, v));
                    body = end;
                    break;
                }
                default:
                    throw new BtfFormatException(
                        $"BTF type [{id}] at byte {start + pos}: unknown kind {(int)kind}. The BTF was written for a newer kernel, or is corrupt.");
            }
            offsets[n++] = start + pos;
            pos = body;
        }
        count = n;
        if (maxReference >= firstId + (uint)n) throw BadReference(blob, offsets, n, firstId);
        return offsets;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static uint U32(ref byte types, int pos)
    {
        uint v = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref types, pos));
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    static BtfFormatException Truncated(uint id, int at, string what, long needed, int remaining) =>
        new($"BTF type [{id}] at byte {at}: {what} need {needed} bytes, but the type section has {Math.Max(remaining, 0)} left. The BTF is truncated or its vlen is corrupt.");

    static BtfFormatException BadName(uint id, int at, uint offset, uint stringEnd, string what) =>
        new($"BTF type [{id}], {what} at byte {at}: string offset {offset} is outside the string table (valid offsets are below {stringEnd}). The BTF is corrupt, or split BTF was parsed without its base.");

    /// <summary>The slow path: find the first type that refers past the last id, to name it in the error.</summary>
    static BtfFormatException BadReference(ReadOnlySpan<byte> blob, int[] offsets, int count, uint firstId)
    {
        uint limit = firstId + (uint)count;
        for (int i = 0; i < count; i++)
        {
            foreach ((uint referenced, int at) in BtfTypeReferences.Of(blob, offsets[i]))
                if (referenced >= limit)
                    return new BtfFormatException(
                        $"BTF type [{firstId + (uint)i}] at byte {offsets[i]} refers to type id {referenced} (at byte {at}), but the last type id is {limit - 1}. The BTF is corrupt, or split BTF was parsed with the wrong base.");
        }
        return new BtfFormatException("BTF refers to a type id past the last type.");
    }
}
