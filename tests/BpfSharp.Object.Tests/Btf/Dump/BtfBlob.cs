using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.Object.Tests.Btf.Dump;

/// <summary>
/// Writes BTF type records word by word, any kind and any (also invalid) reference, for tests that need types
/// <see cref="BtfBuilder"/> does not make: forward declarations, loops, dangling ids.
/// </summary>
sealed class BtfBlob
{
    readonly List<uint> words = [];
    readonly List<byte> strings = [0];
    uint nextId = 1;

    public uint NextId => nextId;

    public uint Add(BtfKind kind, string name, uint sizeOrType, int vlen = 0, bool kindFlag = false, params uint[] data)
    {
        words.Add(Name(name));
        words.Add(((uint)kind << 24) | (uint)vlen | (kindFlag ? 1u << 31 : 0));
        words.Add(sizeOrType);
        words.AddRange(data);
        return nextId++;
    }

    public uint Int(string name, uint size, bool signed = true) => Add(BtfKind.Int, name, size, data: [((signed ? 1u : 0) << 24) | size * 8]);

    public uint Struct(string name, uint size, params (string Name, uint Type, uint BitOffset)[] members) =>
        Add(BtfKind.Struct, name, size, members.Length, data: [.. members.SelectMany(m => new[] { Name(m.Name), m.Type, m.BitOffset })]);

    public byte[] Build()
    {
        byte[] blob = new byte[24 + words.Count * 4 + strings.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xEB9F);
        blob[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)words.Count * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)words.Count * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)strings.Count);
        for (int i = 0; i < words.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(24 + 4 * i), words[i]);
        strings.CopyTo(blob, 24 + words.Count * 4);
        return blob;
    }

    public BtfSpec Parse() => BtfSpec.Parse(Build());

    public uint Name(string name)
    {
        if (name.Length == 0) return 0;
        uint offset = (uint)strings.Count;
        strings.AddRange(Encoding.UTF8.GetBytes(name));
        strings.Add(0);
        return offset;
    }
}
