namespace BpfSharp.Btf;

/// <summary>The type ids one encoded type refers to, with the byte offset of each (for error messages).</summary>
static class BtfTypeReferences
{
    /// <summary>References of the type whose header is at <paramref name="at"/>; the type must have passed the scanner.</summary>
    public static List<(uint Id, int At)> Of(ReadOnlySpan<byte> blob, int at)
    {
        var found = new List<(uint Id, int At)>();
        uint info = BtfWire.ReadU32(blob, at + 4);
        BtfKind kind = BtfWire.Kind(info);
        int vlen = BtfWire.Vlen(info);
        int body = at + BtfWire.TypeHeaderSize;
        switch (kind)
        {
            case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                or BtfKind.TypeTag or BtfKind.Func or BtfKind.Var or BtfKind.DeclTag:
                found.Add((BtfWire.ReadU32(blob, at + 8), at + 8));
                break;
            case BtfKind.Array:
                found.Add((BtfWire.ReadU32(blob, body), body));
                found.Add((BtfWire.ReadU32(blob, body + 4), body + 4));
                break;
            case BtfKind.Struct or BtfKind.Union:
                for (int i = 0; i < vlen; i++) found.Add((BtfWire.ReadU32(blob, body + 12 * i + 4), body + 12 * i + 4));
                break;
            case BtfKind.FuncProto:
                found.Add((BtfWire.ReadU32(blob, at + 8), at + 8));
                for (int i = 0; i < vlen; i++) found.Add((BtfWire.ReadU32(blob, body + 8 * i + 4), body + 8 * i + 4));
                break;
            case BtfKind.DataSection:
                for (int i = 0; i < vlen; i++) found.Add((BtfWire.ReadU32(blob, body + 12 * i), body + 12 * i));
                break;
        }
        return found;
    }
}
