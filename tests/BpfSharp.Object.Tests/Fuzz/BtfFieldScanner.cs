using System.Buffers.Binary;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// Finds the header and per-type fields of a valid BTF blob, independently of BtfSpec (whose parser is under
/// test). Follows the layout in the kernel's include/uapi/linux/btf.h; stops quietly at anything it does not know.
/// </summary>
static class BtfFieldScanner
{
    const int HeaderSize = 24;

    public static FieldMap Scan(byte[] blob)
    {
        var map = new FieldMap();
        if (blob.Length < HeaderSize) return map;
        map.Fields.Add(new(0, FieldRole.Magic, 0, "header magic+version+flags"));
        map.Fields.Add(new(4, FieldRole.HeaderLength, 0, "header hdr_len"));
        map.Fields.Add(new(8, FieldRole.SectionOffset, 0, "header type_off"));
        map.Fields.Add(new(12, FieldRole.SectionLength, 0, "header type_len"));
        map.Fields.Add(new(16, FieldRole.SectionOffset, 0, "header str_off"));
        map.Fields.Add(new(20, FieldRole.SectionLength, 0, "header str_len"));

        int hdrLen = (int)U32(blob, 4);
        long typeStart = (long)hdrLen + U32(blob, 8), typeEnd = typeStart + U32(blob, 12);
        map.StringsLength = U32(blob, 20);
        if (typeEnd > blob.Length) return map;
        map.StructuredEnd = (int)typeEnd;

        uint id = 1;
        int p = (int)typeStart;
        while (p + 12 <= typeEnd)
        {
            map.RecordStarts.Add(p);
            uint info = U32(blob, p + 4);
            int kind = (int)(info >> 24) & 0x1f, vlen = (int)(info & 0xffff);
            map.Fields.Add(new(p, FieldRole.Name, id));
            map.Fields.Add(new(p + 4, FieldRole.Info, id));
            bool sizeIsType = kind is 2 or 8 or 9 or 10 or 11 or 12 or 13 or 14 or 17 or 18;
            map.Fields.Add(new(p + 8, sizeIsType ? FieldRole.TypeRef : FieldRole.Size, id));
            int q = p + 12;
            switch (kind)
            {
                case 1: // INT: encoding word
                case 14: // VAR: linkage
                case 17: // DECL_TAG: component_idx
                    map.Fields.Add(new(q, FieldRole.Value, id));
                    q += 4;
                    break;
                case 3: // ARRAY: type, index_type, nelems
                    map.Fields.Add(new(q, FieldRole.TypeRef, id));
                    map.Fields.Add(new(q + 4, FieldRole.TypeRef, id));
                    map.Fields.Add(new(q + 8, FieldRole.Count, id));
                    q += 12;
                    break;
                case 4 or 5: // STRUCT, UNION: name, type, offset
                    for (int i = 0; i < vlen; i++, q += 12)
                    {
                        map.Fields.Add(new(q, FieldRole.Name, id));
                        map.Fields.Add(new(q + 4, FieldRole.TypeRef, id));
                        map.Fields.Add(new(q + 8, FieldRole.Value, id));
                    }
                    break;
                case 6: // ENUM: name, val
                    for (int i = 0; i < vlen; i++, q += 8)
                    {
                        map.Fields.Add(new(q, FieldRole.Name, id));
                        map.Fields.Add(new(q + 4, FieldRole.Value, id));
                    }
                    break;
                case 19: // ENUM64: name, val_lo32, val_hi32
                    for (int i = 0; i < vlen; i++, q += 12)
                    {
                        map.Fields.Add(new(q, FieldRole.Name, id));
                        map.Fields.Add(new(q + 4, FieldRole.Value, id));
                        map.Fields.Add(new(q + 8, FieldRole.Value, id));
                    }
                    break;
                case 13: // FUNC_PROTO: name, type
                    for (int i = 0; i < vlen; i++, q += 8)
                    {
                        map.Fields.Add(new(q, FieldRole.Name, id));
                        map.Fields.Add(new(q + 4, FieldRole.TypeRef, id));
                    }
                    break;
                case 15: // DATASEC: type, offset, size
                    for (int i = 0; i < vlen; i++, q += 12)
                    {
                        map.Fields.Add(new(q, FieldRole.TypeRef, id));
                        map.Fields.Add(new(q + 4, FieldRole.Value, id));
                        map.Fields.Add(new(q + 8, FieldRole.Size, id));
                    }
                    break;
                case 2 or 7 or 8 or 9 or 10 or 11 or 12 or 16 or 18:
                    break;
                default:
                    map.RecordCount = id;
                    return map; // unknown kind: the rest cannot be laid out
            }
            p = q;
            id++;
        }
        map.RecordCount = id;
        return map;
    }

    static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
}
