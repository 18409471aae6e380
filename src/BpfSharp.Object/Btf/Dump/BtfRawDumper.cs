namespace BpfSharp.Btf.Dump;

/// <summary>
/// Writes BTF types as text, one type per line followed by one indented line per member, enumerator, parameter or
/// section variable — the format of <c>bpftool btf dump file X format raw</c>, byte for byte.
/// </summary>
public static class BtfRawDumper
{
    /// <summary>Writes every type of <paramref name="spec"/> in id order.</summary>
    public static void Write(BtfSpec spec, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        int count = spec.Types.Count;
        for (uint id = 1; id < count; id++)
            WriteType(spec, spec[id], output);
    }

    /// <summary>
    /// Writes the types <paramref name="typeIds"/> in the order given (bpftool's <c>root_id</c>); pass the result of
    /// <see cref="BtfTypeSelection.WithDependencies"/> to get a type together with everything it refers to.
    /// </summary>
    public static void Write(BtfSpec spec, TextWriter output, ReadOnlySpan<uint> typeIds)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        foreach (uint id in typeIds)
            WriteType(spec, spec[id], output);
    }

    /// <summary>Writes one type: its header line, then its members, enumerators, parameters or variables.</summary>
    public static void WriteType(BtfSpec spec, BtfType type, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(output);
        output.Write('[');
        output.WriteNumber(type.Id);
        output.Write("] ");
        output.Write(KindName(type.Kind));
        WriteQuotedName(output, type.Name);
        switch (type.Kind)
        {
            case BtfKind.Int:
                output.Write(" size=");
                output.WriteNumber(type.Size);
                output.Write(" bits_offset=");
                output.WriteNumber(type.IntOffset);
                output.Write(" nr_bits=");
                output.WriteNumber(type.IntBits);
                output.Write(" encoding=");
                output.Write(type.IntEncoding switch { 0 => "(none)", 1 => "SIGNED", 2 => "CHAR", 4 => "BOOL", _ => "UNKN" });
                break;
            case BtfKind.Pointer or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.Typedef or BtfKind.TypeTag:
                output.Write(" type_id=");
                output.WriteNumber(type.TypeId);
                break;
            case BtfKind.Array:
                output.Write(" type_id=");
                output.WriteNumber(type.ElementTypeId);
                output.Write(" index_type_id=");
                output.WriteNumber(type.IndexTypeId);
                output.Write(" nr_elems=");
                output.WriteNumber(type.ElementCount);
                break;
            case BtfKind.Struct or BtfKind.Union:
                WriteMembers(type, output);
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                WriteEnumerators(type, output);
                break;
            case BtfKind.Forward:
                output.Write(type.KindFlag ? " fwd_kind=union" : " fwd_kind=struct");
                break;
            case BtfKind.Func:
                output.Write(" type_id=");
                output.WriteNumber(type.TypeId);
                output.Write(" linkage=");
                output.Write(type.Linkage switch { 0 => "static", 1 => "global", 2 => "extern", _ => "(unknown)" });
                break;
            case BtfKind.FuncProto:
                WriteParameters(type, output);
                break;
            case BtfKind.Var:
                // bpftool prints this comma; it is part of the format.
                output.Write(" type_id=");
                output.WriteNumber(type.TypeId);
                output.Write(", linkage=");
                output.Write(type.Linkage switch { 0 => "static", 1 => "global", 2 => "extern", _ => "(unknown)" });
                break;
            case BtfKind.DataSection:
                WriteSectionVariables(spec, type, output);
                break;
            case BtfKind.Float:
                output.Write(" size=");
                output.WriteNumber(type.Size);
                break;
            case BtfKind.DeclTag:
                output.Write(" type_id=");
                output.WriteNumber(type.TypeId);
                output.Write(" component_idx=");
                output.WriteNumber(type.Linkage);
                break;
        }
        output.Write('\n');
    }

    /// <summary>bpftool's upper-case name of a kind (<c>FUNC_PROTO</c>, <c>DECL_TAG</c>…).</summary>
    public static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Int => "INT",
        BtfKind.Pointer => "PTR",
        BtfKind.Array => "ARRAY",
        BtfKind.Struct => "STRUCT",
        BtfKind.Union => "UNION",
        BtfKind.Enum => "ENUM",
        BtfKind.Forward => "FWD",
        BtfKind.Typedef => "TYPEDEF",
        BtfKind.Volatile => "VOLATILE",
        BtfKind.Const => "CONST",
        BtfKind.Restrict => "RESTRICT",
        BtfKind.Func => "FUNC",
        BtfKind.FuncProto => "FUNC_PROTO",
        BtfKind.Var => "VAR",
        BtfKind.DataSection => "DATASEC",
        BtfKind.Float => "FLOAT",
        BtfKind.DeclTag => "DECL_TAG",
        BtfKind.TypeTag => "TYPE_TAG",
        BtfKind.Enum64 => "ENUM64",
        _ => "UNKNOWN",
    };

    static void WriteMembers(BtfType type, TextWriter output)
    {
        IReadOnlyList<BtfMember> members = type.Members;
        output.Write(" size=");
        output.WriteNumber(type.Size);
        output.Write(" vlen=");
        output.WriteNumber((ulong)members.Count);
        for (int i = 0; i < members.Count; i++)
        {
            BtfMember m = members[i];
            output.Write("\n\t");
            WriteQuotedName(output, m.Name, leadingSpace: false);
            output.Write(" type_id=");
            output.WriteNumber(m.TypeId);
            output.Write(" bits_offset=");
            output.WriteNumber(m.BitOffset);
            if (m.BitfieldSize != 0)
            {
                output.Write(" bitfield_size=");
                output.WriteNumber(m.BitfieldSize);
            }
        }
    }

    static void WriteEnumerators(BtfType type, TextWriter output)
    {
        IReadOnlyList<BtfEnumValue> values = type.EnumValues;
        bool signed = type.KindFlag, wide = type.Kind == BtfKind.Enum64;
        output.Write(signed ? " encoding=SIGNED size=" : " encoding=UNSIGNED size=");
        output.WriteNumber(type.Size);
        output.Write(" vlen=");
        output.WriteNumber((ulong)values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            BtfEnumValue v = values[i];
            output.Write("\n\t");
            WriteQuotedName(output, v.Name, leadingSpace: false);
            output.Write(" val=");
            // A 32-bit value is already widened with the enum's signedness; a 64-bit one keeps its raw bits.
            if (signed || !wide) output.WriteNumber(v.Value);
            else output.WriteNumber((ulong)v.Value);
            if (wide) output.Write(signed ? "LL" : "ULL");
        }
    }

    static void WriteParameters(BtfType type, TextWriter output)
    {
        IReadOnlyList<BtfParameter> parameters = type.Parameters;
        output.Write(" ret_type_id=");
        output.WriteNumber(type.TypeId);
        output.Write(" vlen=");
        output.WriteNumber((ulong)parameters.Count);
        for (int i = 0; i < parameters.Count; i++)
        {
            output.Write("\n\t");
            WriteQuotedName(output, parameters[i].Name, leadingSpace: false);
            output.Write(" type_id=");
            output.WriteNumber(parameters[i].TypeId);
        }
    }

    static void WriteSectionVariables(BtfSpec spec, BtfType type, TextWriter output)
    {
        IReadOnlyList<BtfSectionVariable> variables = type.Variables;
        output.Write(" size=");
        output.WriteNumber(type.Size);
        output.Write(" vlen=");
        output.WriteNumber((ulong)variables.Count);
        int typeCount = spec.Types.Count;
        for (int i = 0; i < variables.Count; i++)
        {
            BtfSectionVariable v = variables[i];
            output.Write("\n\ttype_id=");
            output.WriteNumber(v.TypeId);
            output.Write(" offset=");
            output.WriteNumber(v.Offset);
            output.Write(" size=");
            output.WriteNumber(v.Size);
            if (v.TypeId < typeCount)
            {
                BtfType target = spec[v.TypeId];
                output.Write(" (");
                output.Write(KindName(target.Kind));
                WriteQuotedName(output, target.Id == 0 ? "" : target.Name); // void has no name in the blob
                output.Write(')');
            }
        }
    }

    static void WriteQuotedName(TextWriter output, string name, bool leadingSpace = true)
    {
        output.Write(leadingSpace ? " '" : "'");
        output.Write(name.Length == 0 ? "(anon)" : name);
        output.Write('\'');
    }
}
