using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// A hand-built BTF blob for maps that need BTF for key and value (local storage): type 1 is a 32-bit signed
/// <c>int</c>, type 2 a <c>struct val { int a; int b; }</c> of 8 bytes.
/// </summary>
static class TestBtf
{
    public const uint IntId = 1, ValueStructId = 2;
    public const uint ValueSize = 8;

    const int KindInt = 1, KindStruct = 4;

    public static byte[] Build()
    {
        var strings = new List<byte> { 0 };
        uint Str(string s)
        {
            uint offset = (uint)strings.Count;
            strings.AddRange(Encoding.ASCII.GetBytes(s));
            strings.Add(0);
            return offset;
        }

        var types = new List<uint>();
        // [1] INT 'int' size 4, signed, 32 bits
        types.AddRange([Str("int"), KindInt << 24, 4, (1u << 24) | 32]);
        // [2] STRUCT 'val' size 8, members a (int, bit 0) and b (int, bit 32)
        types.AddRange([Str("val"), (KindStruct << 24) | 2, ValueSize]);
        types.AddRange([Str("a"), IntId, 0]);
        types.AddRange([Str("b"), IntId, 32]);

        int typeLen = types.Count * 4;
        byte[] blob = new byte[24 + typeLen + strings.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xEB9F);
        blob[2] = 1; // version
        blob[3] = 0; // flags
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);                 // hdr_len
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);                  // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)typeLen);     // type_len
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)typeLen);     // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)strings.Count); // str_len
        for (int i = 0; i < types.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(24 + 4 * i), types[i]);
        strings.CopyTo(blob, 24 + typeLen);
        return blob;
    }
}
