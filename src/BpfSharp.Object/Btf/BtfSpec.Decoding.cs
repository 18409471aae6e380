namespace BpfSharp.Btf;

public sealed partial class BtfSpec
{
    /// <summary>Decodes the type whose header is at <paramref name="at"/>; the scanner has validated its bytes.</summary>
    BtfType Decode(uint id, int at)
    {
        ReadOnlySpan<byte> data = Data;
        string name = strings.Get(BtfWire.ReadU32(data, at));
        uint info = BtfWire.ReadU32(data, at + 4);
        uint sizeOrType = BtfWire.ReadU32(data, at + 8);
        BtfKind kind = BtfWire.Kind(info);
        int vlen = BtfWire.Vlen(info);
        bool kindFlag = BtfWire.KindFlag(info);
        int body = at + BtfWire.TypeHeaderSize;
        switch (kind)
        {
            case BtfKind.Int:
            {
                uint encoding = BtfWire.ReadU32(data, body);
                return new BtfType
                {
                    Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType,
                    IntEncoding = (byte)((encoding >> 24) & 0xf), IntOffset = (byte)(encoding >> 16), IntBits = (byte)encoding,
                };
            }
            case BtfKind.Pointer or BtfKind.Forward or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const
                or BtfKind.Restrict or BtfKind.TypeTag:
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, TypeId = sizeOrType };
            case BtfKind.Func:
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, TypeId = sizeOrType, Linkage = vlen };
            case BtfKind.Float:
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType };
            case BtfKind.Array:
                return new BtfType
                {
                    Id = id, Kind = kind, Name = name, KindFlag = kindFlag,
                    ElementTypeId = BtfWire.ReadU32(data, body), IndexTypeId = BtfWire.ReadU32(data, body + 4),
                    ElementCount = BtfWire.ReadU32(data, body + 8),
                };
            case BtfKind.Struct or BtfKind.Union:
            {
                var members = new BtfMember[vlen];
                for (int i = 0; i < members.Length; i++, body += 12)
                {
                    string memberName = strings.Get(BtfWire.ReadU32(data, body));
                    uint type = BtfWire.ReadU32(data, body + 4);
                    uint offset = BtfWire.ReadU32(data, body + 8);
                    members[i] = kindFlag
                        ? new BtfMember(memberName, type, offset & 0xffffff, (byte)(offset >> 24))
                        : new BtfMember(memberName, type, offset, 0);
                }
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType, Members = members };
            }
            case BtfKind.Enum:
            {
                var values = new BtfEnumValue[vlen];
                for (int i = 0; i < values.Length; i++, body += 8)
                {
                    uint raw = BtfWire.ReadU32(data, body + 4);
                    values[i] = new BtfEnumValue(strings.Get(BtfWire.ReadU32(data, body)), kindFlag ? (int)raw : raw);
                }
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType, EnumValues = values };
            }
            case BtfKind.Enum64:
            {
                var values = new BtfEnumValue[vlen];
                for (int i = 0; i < values.Length; i++, body += 12)
                {
                    ulong value = BtfWire.ReadU32(data, body + 4) | ((ulong)BtfWire.ReadU32(data, body + 8) << 32);
                    values[i] = new BtfEnumValue(strings.Get(BtfWire.ReadU32(data, body)), (long)value);
                }
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType, EnumValues = values };
            }
            case BtfKind.FuncProto:
            {
                var parameters = new BtfParameter[vlen];
                for (int i = 0; i < parameters.Length; i++, body += 8)
                    parameters[i] = new BtfParameter(strings.Get(BtfWire.ReadU32(data, body)), BtfWire.ReadU32(data, body + 4));
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, TypeId = sizeOrType, Parameters = parameters };
            }
            case BtfKind.Var:
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, TypeId = sizeOrType, Linkage = (int)BtfWire.ReadU32(data, body) };
            case BtfKind.DataSection:
            {
                var variables = new BtfSectionVariable[vlen];
                for (int i = 0; i < variables.Length; i++, body += 12)
                    variables[i] = new BtfSectionVariable(BtfWire.ReadU32(data, body), BtfWire.ReadU32(data, body + 4), BtfWire.ReadU32(data, body + 8));
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, Size = sizeOrType, Variables = variables };
            }
            case BtfKind.DeclTag:
                return new BtfType { Id = id, Kind = kind, Name = name, KindFlag = kindFlag, TypeId = sizeOrType, ComponentIndex = (int)BtfWire.ReadU32(data, body) };
            default:
                // The scanner rejected every other kind.
                throw new BtfFormatException($"BTF type [{id}] at byte {at}: unknown kind {(int)kind}.");
        }
    }
}
