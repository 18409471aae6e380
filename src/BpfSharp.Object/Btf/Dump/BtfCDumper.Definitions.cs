namespace BpfSharp.Btf.Dump;

// Definitions: the text of struct/union/enum/typedef definitions and forward declarations.
public sealed partial class BtfCDumper
{
    const string Tabs = "\t\t\t\t\t\t\t\t\t\t\t\t\t";

    /// <summary>Indentation for nesting level <paramref name="level"/>; libbpf stops indenting at 13 tabs.</summary>
    static ReadOnlySpan<char> Indent(int level) => Tabs.AsSpan(0, Math.Min(level, Tabs.Length));

    void WriteStructForward(uint id, BtfType t)
    {
        output.Write(t.Kind == BtfKind.Struct ? "struct" : "union");
        if (IsNamed(t))
        {
            output.Write(' ');
            output.Write(TypeName(id));
        }
    }

    void WriteStruct(uint id, BtfType t, int level)
    {
        bool isStruct = t.Kind == BtfKind.Struct;
        int alignment = AlignOf(id, 0);
        bool packed = isStruct && IsPacked(t);
        WriteStructForward(id, t);
        output.Write(" {");

        IReadOnlyList<BtfMember> members = t.Members;
        long end = 0; // bit offset just past the previous member
        bool previousWasBitfield = false;
        for (int i = 0; i < members.Count; i++)
        {
            BtfMember m = members[i];
            int memberAlignment = packed ? 1 : AlignOf(m.TypeId, 0);
            WritePadding(end, m.BitOffset, memberAlignment, inBitfield: previousWasBitfield && m.BitfieldSize != 0, level + 1);
            output.Write('\n');
            output.Write(Indent(level + 1));
            WriteDeclaration(m.TypeId, m.Name, level + 1);
            if (m.BitfieldSize != 0)
            {
                output.Write(": ");
                output.WriteNumber((ulong)m.BitfieldSize);
                end = m.BitOffset + (long)m.BitfieldSize;
                previousWasBitfield = true;
            }
            else
            {
                end = m.BitOffset + Math.Max(0, ResolveSize(m.TypeId)) * 8;
                previousWasBitfield = false;
            }
            output.Write(';');
        }

        if (isStruct)
            WritePadding(end, t.Size * 8L, alignment, inBitfield: false, level + 1);

        // `struct empty {}` stays on one line.
        if (members.Count != 0 || t.Size != 0)
        {
            output.Write('\n');
            output.Write(Indent(level));
        }
        output.Write('}');
        if (packed) output.Write(" __attribute__((packed))");
    }

    /// <summary>
    /// Fills the bits [<paramref name="from"/>, <paramref name="to"/>) with unnamed bitfields (<c>long: 64;</c>,
    /// <c>int: 0;</c>…) where the compiler's natural alignment would not put the next member at <paramref name="to"/>.
    /// </summary>
    void WritePadding(long from, long to, int nextAlignment, bool inBitfield, int level)
    {
        if (from >= to) return;
        ReadOnlySpan<(string Name, int Bits)> fillers = [("long", pointerSize * 8), ("int", 32), ("short", 16), ("char", 8)];

        // The widest filler type whose next boundary does not pass `to`.
        string fillerName = "";
        int fillerBits = 0;
        long aligned = 0;
        foreach (var filler in fillers)
        {
            (fillerName, fillerBits) = filler;
            aligned = RoundUp(from, fillerBits);
            if (aligned <= to) break;
        }

        if (aligned > from && aligned <= to)
        {
            // Say `type: 0` when the compiler would not reach this boundary by itself: the next member is less
            // aligned than the filler, or a `type: N` would fit in what is left and so not move the offset.
            // Inside a run of bitfields the gap is written as an explicit width instead.
            if (inBitfield
                || (aligned == to && RoundUp(from, Math.Max(1, nextAlignment) * 8) != aligned)
                || (aligned != to && to - aligned <= aligned - from))
                WriteFiller(fillerName, inBitfield ? aligned - from : 0, level);
            from = aligned;
        }

        if ((to - from) / fillerBits >= RepeatedFillers)
        {
            // A huge gap (a corrupt size) is hundreds of millions of identical lines, as bpftool writes them:
            // write them in blocks so the time stays that of the output.
            var one = new StringWriter();
            one.Write('\n'); one.Write(Indent(level)); one.Write(fillerName); one.Write(": "); one.Write(fillerBits); one.Write(';');
            string block = string.Concat(Enumerable.Repeat(one.ToString(), RepeatedFillers));
            for (long n = (to - from) / fillerBits; n >= RepeatedFillers; n -= RepeatedFillers, from += (long)fillerBits * RepeatedFillers)
                output.Write(block);
        }

        while (from != to)
        {
            long bits = Math.Min(to - from, fillerBits);
            if (bits == fillerBits)
            {
                WriteFiller(fillerName, fillerBits, level);
                from += bits;
                continue;
            }
            // The remainder gets the narrowest type that holds it.
            for (int i = fillers.Length - 1; i >= 0; i--)
            {
                (fillerName, fillerBits) = fillers[i];
                if (fillerBits < bits) continue;
                WriteFiller(fillerName, bits, level);
                from += bits;
                break;
            }
        }
    }

    static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;

    const int RepeatedFillers = 4096;

    void WriteFiller(string type, long bits, int level)
    {
        output.Write('\n');
        output.Write(Indent(level));
        output.Write(type);
        output.Write(": ");
        output.WriteNumber(bits);
        output.Write(';');
    }

    void WriteEnum(uint id, BtfType t, int level)
    {
        output.Write("enum");
        if (IsNamed(t))
        {
            output.Write(' ');
            output.Write(TypeName(id));
        }
        IReadOnlyList<BtfEnumValue> values = t.EnumValues;
        if (values.Count == 0) return;

        output.Write(" {");
        bool wide = t.Kind == BtfKind.Enum64, signed = t.KindFlag;
        bool anyHighBits = false;
        for (int i = 0; i < values.Count; i++)
        {
            BtfEnumValue v = values[i];
            output.Write('\n');
            output.Write(Indent(level + 1));
            output.Write(v.Name);
            // Enumerators share the ordinary identifier namespace with typedefs; every occurrence counts.
            int occurrence = CountOccurrence(identifierCounts, v.Name);
            if (occurrence > 1)
            {
                output.Write("___");
                output.WriteNumber((long)occurrence);
            }
            output.Write(" = ");
            if (signed || !wide) output.WriteNumber(v.Value); // a 32-bit value is already widened by its signedness
            else output.WriteNumber((ulong)v.Value);
            if (wide) output.Write(signed ? "LL," : "ULL,");
            else output.Write(',');
            anyHighBits |= ((ulong)v.Value >> 32) != 0;
        }
        output.Write('\n');
        output.Write(Indent(level));
        output.Write('}');

        // C gives an enum the size of int unless told otherwise.
        if (!options.EnumSizeAttributes) return;
        if (t.Size == 1)
            output.Write(" __attribute__((mode(byte)))");
        else if (t.Size == 8 && pointerSize == 8 && (!wide || !anyHighBits))
            output.Write(" __attribute__((mode(word)))"); // a value above 32 bits would widen it by itself
    }

    void WriteEnumForward(uint id)
    {
        output.Write("enum ");
        output.Write(TypeName(id));
    }

    void WriteForward(uint id, BtfType t)
    {
        output.Write(t.KindFlag ? "union " : "struct ");
        output.Write(TypeName(id));
    }

    void WriteTypedef(uint id, BtfType t, int level)
    {
        string name = IdentifierName(id);
        // Old GCCs describe __gnuc_va_list as a typedef of void; the compiler's builtin is what it means.
        if (t.TypeId == 0 && name == "__gnuc_va_list")
        {
            output.Write("typedef __builtin_va_list __gnuc_va_list");
            return;
        }
        output.Write("typedef ");
        WriteDeclaration(t.TypeId, name, level);
    }

    /// <summary>GCC's ARM SIMD polynomial types are ints in BTF with names no other compiler knows.</summary>
    void WriteMissingBaseTypeAlias(uint id)
    {
        string name = TypeName(id);
        string? alias = name switch
        {
            "__Poly8_t" => "unsigned char",
            "__Poly16_t" => "unsigned short",
            "__Poly64_t" => "unsigned long long",
            "__Poly128_t" => "unsigned __int128",
            _ => null,
        };
        if (alias is null) return;
        output.Write("typedef ");
        output.Write(alias);
        output.Write(' ');
        output.Write(name);
        output.Write(";\n\n");
    }
}
