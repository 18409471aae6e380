using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;
using BpfSharp.Btf.Ext;

namespace BpfSharp.Objects;

/// <summary>
/// An object's raw BTF blob, indexed by type id so the fix-ups libbpf makes before loading (DATASEC sizes, VAR
/// offsets and linkage, FUNC linkage, extern sections) can be written into it in place.
/// </summary>
internal sealed class RawBtf
{
    const int HeaderSize = 24;
    const int TypeHeader = 12;

    byte[] blob;
    int typeStart;
    List<int> offsets = [];
    BtfStringSection strings = null!;

    public RawBtf(ReadOnlySpan<byte> original)
    {
        blob = original.ToArray();
        Index();
    }

    public byte[] ToArray() => (byte[])blob.Clone();

    public int Count => offsets.Count; // including void

    public BtfStringSection Strings => strings;

    public BtfKind Kind(uint id) => (BtfKind)((Info(id) >> 24) & 0x1f);

    public int Vlen(uint id) => (int)(Info(id) & 0xffff);

    public string Name(uint id) => strings.Get(U32(At(id)), $"BTF type {id}");

    public uint NameOffset(uint id) => U32(At(id));

    public uint SizeOrType(uint id) => U32(At(id) + 8);

    public void SetSizeOrType(uint id, uint value) => W32(At(id) + 8, value);

    /// <summary>VAR linkage (0 static, 1 global, 2 extern).</summary>
    public uint VarLinkage(uint id) => U32(At(id) + TypeHeader);

    public void SetVarLinkage(uint id, uint linkage) => W32(At(id) + TypeHeader, linkage);

    /// <summary>FUNC linkage lives in vlen (0 static, 1 global, 2 extern).</summary>
    public void SetFuncLinkage(uint id, uint linkage) => W32(At(id) + 4, (Info(id) & ~0xffffu) | linkage);

    public (uint Type, uint Offset, uint Size) DatasecEntry(uint id, int index)
    {
        int at = At(id) + TypeHeader + 12 * index;
        return (U32(at), U32(at + 4), U32(at + 8));
    }

    public void SetDatasecEntry(uint id, int index, (uint Type, uint Offset, uint Size) entry)
    {
        int at = At(id) + TypeHeader + 12 * index;
        W32(at, entry.Type);
        W32(at + 4, entry.Offset);
        W32(at + 8, entry.Size);
    }

    /// <summary>Sorts a DATASEC's variables by offset, keeping the order of equal offsets.</summary>
    public void SortDatasec(uint id)
    {
        int n = Vlen(id);
        var entries = new (uint Type, uint Offset, uint Size)[n];
        for (int i = 0; i < n; i++) entries[i] = DatasecEntry(id, i);
        var sorted = entries.Select((e, i) => (e, i)).OrderBy(x => x.e.Offset).ThenBy(x => x.i).Select(x => x.e).ToArray();
        for (int i = 0; i < n; i++) SetDatasecEntry(id, i, sorted[i]);
    }

    /// <summary>FUNC_PROTO parameter <paramref name="index"/>: (name offset, type).</summary>
    public (uint NameOffset, uint Type) Parameter(uint id, int index)
    {
        int at = At(id) + TypeHeader + 8 * index;
        return (U32(at), U32(at + 4));
    }

    public void SetParameterName(uint id, int index, uint nameOffset) => W32(At(id) + TypeHeader + 8 * index, nameOffset);

    /// <summary>The first type with this kind and name, or 0.</summary>
    public uint Find(BtfKind kind, string name)
    {
        for (uint id = 1; id < offsets.Count; id++)
            if (Kind(id) == kind && Name(id) == name)
                return id;
        return 0;
    }

    /// <summary>Appends a VAR (and its name) and returns its id.</summary>
    public uint AppendVar(string name, uint typeId, uint linkage)
    {
        uint typeLength = U32(12);
        uint stringOffset = U32(16), stringLength = U32(20);
        uint headerLength = U32(4);
        ReadOnlySpan<byte> types = blob.AsSpan((int)(headerLength + U32(8)), (int)typeLength);
        ReadOnlySpan<byte> oldStrings = blob.AsSpan((int)(headerLength + stringOffset), (int)stringLength);
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);

        var result = new byte[headerLength + typeLength + 16 + stringLength + nameBytes.Length + 1];
        Span<byte> r = result;
        blob.AsSpan(0, (int)headerLength).CopyTo(r);
        types.CopyTo(r[(int)headerLength..]);
        Span<byte> var = r.Slice((int)(headerLength + typeLength), 16);
        BinaryPrimitives.WriteUInt32LittleEndian(var, stringLength); // the name goes at the end of the strings
        BinaryPrimitives.WriteUInt32LittleEndian(var[4..], (uint)BtfKind.Var << 24);
        BinaryPrimitives.WriteUInt32LittleEndian(var[8..], typeId);
        BinaryPrimitives.WriteUInt32LittleEndian(var[12..], linkage);
        oldStrings.CopyTo(r[(int)(headerLength + typeLength + 16)..]);
        nameBytes.CopyTo(r[(int)(headerLength + typeLength + 16 + stringLength)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(r[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(r[12..], typeLength + 16);
        BinaryPrimitives.WriteUInt32LittleEndian(r[16..], typeLength + 16);
        BinaryPrimitives.WriteUInt32LittleEndian(r[20..], stringLength + (uint)nameBytes.Length + 1);
        blob = result;
        Index();
        return (uint)(offsets.Count - 1);
    }

    uint Info(uint id) => U32(At(id) + 4);

    int At(uint id) => id > 0 && id < offsets.Count
        ? offsets[(int)id]
        : throw new BtfFormatException($"BTF type id {id} is out of range (the object's BTF has {offsets.Count - 1} types).");

    uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(at));

    void W32(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(at), value);

    void Index()
    {
        strings = BtfStringSection.FromBtf(blob); // also checks the header
        uint headerLength = U32(4), typeOffset = U32(8), typeLength = U32(12);
        ulong start = (ulong)headerLength + typeOffset;
        if (start > (ulong)blob.Length || typeLength > (ulong)blob.Length - start)
            throw new BtfFormatException($"BTF type section [{typeOffset}, {typeOffset + (ulong)typeLength}) lies outside the blob.");
        typeStart = (int)start;
        int end = typeStart + (int)typeLength;
        var list = new List<int> { -1 };
        for (int at = typeStart; at < end;)
        {
            if (end - at < TypeHeader)
                throw new BtfFormatException($"BTF type {list.Count} at byte {at - typeStart} of the type section: its header runs past the end.");
            uint info = U32(at + 4);
            int vlen = (int)(info & 0xffff);
            var kind = (BtfKind)((info >> 24) & 0x1f);
            long size = TypeHeader + kind switch
            {
                BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4L,
                BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 0L,
                BtfKind.Array => 12L,
                BtfKind.Struct or BtfKind.Union or BtfKind.Enum64 or BtfKind.DataSection => 12L * vlen,
                BtfKind.Enum or BtfKind.FuncProto => 8L * vlen,
                _ => throw new BtfFormatException($"BTF type {list.Count} at byte {at - typeStart} of the type section: unknown kind {(int)kind}."),
            };
            if (size > end - at)
                throw new BtfFormatException($"BTF type {list.Count} ({kind}) at byte {at - typeStart} of the type section runs past its end.");
            list.Add(at);
            at += (int)size;
        }
        offsets = list;
    }
}
