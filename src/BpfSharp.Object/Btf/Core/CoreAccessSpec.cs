using System.Globalization;
using System.Text;
using BpfSharp.Objects;

namespace BpfSharp.Btf.Core;

/// <summary>
/// A CO-RE access resolved against one BTF: the root type, the high-level accessors (named members and array
/// indices, anonymous members skipped), the raw access string as numbers, and the bit offset it reaches.
/// </summary>
/// <remarks>
/// For type relocations there are no accessors; for enum relocations the single accessor is the enumerator.
/// <see cref="ToString"/> prints the spec as libbpf does, e.g.
/// <c>&lt;byte_off&gt; [5] struct task_struct___mine.pid (0:1 @ offset 4)</c>.
/// </remarks>
public sealed class CoreAccessSpec
{
    internal readonly List<CoreAccessor> accessors = [];
    internal readonly List<int> raw = [];

    internal CoreAccessSpec(BtfSpec btf, uint rootTypeId, CoreRelocationKind kind)
    {
        Btf = btf;
        RootTypeId = rootTypeId;
        Kind = kind;
    }

    /// <summary>The BTF the spec is resolved in.</summary>
    public BtfSpec Btf { get; }

    /// <summary>The type id the access starts from (the relocation's type, or the candidate's in a target).</summary>
    public uint RootTypeId { get; }

    /// <summary>The relocation kind the spec was parsed for (it decides how the access string is read).</summary>
    public CoreRelocationKind Kind { get; }

    /// <summary>The high-level accessors: the root, named members, array elements.</summary>
    public IReadOnlyList<CoreAccessor> Accessors => accessors;

    /// <summary>Every step of the access as an index, anonymous members included (the access string as numbers).</summary>
    public IReadOnlyList<int> RawSpec => raw;

    /// <summary>The bit offset from the root the access reaches.</summary>
    public uint BitOffset { get; internal set; }

    /// <summary>The access string of this spec, e.g. <c>0:1:2</c>.</summary>
    public string AccessString => string.Join(':', raw);

    internal CoreAccessor Last => accessors[^1];

    /// <summary>libbpf's rendering (<c>bpf_core_format_spec</c>).</summary>
    public override string ToString() => Format(withKind: true);

    /// <summary>The rendering with or without the leading <c>&lt;kind&gt;</c>.</summary>
    internal string Format(bool withKind)
    {
        var s = new StringBuilder();
        BtfType? root = CoreBtf.TypeById(Btf, RootTypeId);
        if (withKind)
            s.Append(CultureInfo.InvariantCulture, $"<{Kind.LibbpfName()}> ");
        s.Append(CoreBtf.Describe(Btf, RootTypeId));
        if (Kind.IsTypeBased() || root is null)
            return s.ToString();

        if (Kind.IsEnumValueBased())
        {
            BtfType? e = CoreBtf.SkipModifiersAndTypedefs(Btf, RootTypeId);
            int index = raw.Count > 0 ? raw[0] : 0;
            if (e is null || !CoreBtf.IsAnyEnum(e) || index >= e.EnumValues.Count)
                return s.ToString();
            BtfEnumValue value = e.EnumValues[index];
            s.Append("::").Append(value.Name).Append(" = ");
            if (e.Kind == BtfKind.Enum)
                s.Append(e.KindFlag ? ((int)CoreBtf.RawEnumValue(value)).ToString(CultureInfo.InvariantCulture)
                                    : CoreBtf.RawEnumValue(value).ToString(CultureInfo.InvariantCulture));
            else
                s.Append(e.KindFlag ? value.Value.ToString(CultureInfo.InvariantCulture)
                                    : ((ulong)value.Value).ToString(CultureInfo.InvariantCulture));
            return s.ToString();
        }

        for (int i = 0; i < accessors.Count; i++)
        {
            CoreAccessor a = accessors[i];
            if (a.Name is not null)
                s.Append('.').Append(a.Name);
            else if (i > 0 || a.Index > 0)
                s.Append(CultureInfo.InvariantCulture, $"[{a.Index}]");
        }
        s.Append(" (").Append(AccessString);
        s.Append(BitOffset % 8 != 0
            ? string.Create(CultureInfo.InvariantCulture, $" @ offset {BitOffset / 8}.{BitOffset % 8})")
            : string.Create(CultureInfo.InvariantCulture, $" @ offset {BitOffset / 8})"));
        return s.ToString();
    }

    /// <summary>
    /// Parses <paramref name="accessString"/> over <paramref name="rootTypeId"/> in <paramref name="btf"/> (libbpf's
    /// <c>bpf_core_parse_spec</c>): every member index must exist, every array index be in bounds (a flexible array
    /// member excepted), type relocations take exactly <c>0</c>, enum relocations one enumerator index.
    /// </summary>
    /// <exception cref="CoreError">The access string does not describe an access of this type; the message says why.</exception>
    internal static CoreAccessSpec Parse(BtfSpec btf, uint rootTypeId, string accessString, CoreRelocationKind kind)
    {
        if (accessString.Length == 0 || accessString[0] == ':')
            throw new CoreError("the access string is empty or starts with ':'");

        var spec = new CoreAccessSpec(btf, rootTypeId, kind);
        if (kind.IsTypeBased())
        {
            if (accessString != "0")
                throw new CoreError($"a {kind.LibbpfName()} relocation's access string must be \"0\", not \"{accessString}\"");
            return spec;
        }

        ParseIndices(accessString, spec.raw);

        BtfType t = CoreBtf.SkipModifiersAndTypedefs(btf, rootTypeId, out uint id)
            ?? throw new CoreError($"type [{rootTypeId}] does not exist or its typedef chain is broken");
        int index = spec.raw[0];

        if (kind.IsEnumValueBased())
        {
            if (!CoreBtf.IsAnyEnum(t))
                throw new CoreError($"an {kind.LibbpfName()} relocation needs an enum, but the type resolves to {CoreBtf.Describe(btf, id)}");
            if (spec.raw.Count > 1)
                throw new CoreError("an enum value relocation's access string is a single enumerator index");
            if (index >= t.EnumValues.Count)
                throw new CoreError($"enumerator index {index} is out of range ({CoreBtf.Describe(btf, id)} has {t.EnumValues.Count})");
            spec.accessors.Add(new CoreAccessor(id, index, t.EnumValues[index].Name));
            return spec;
        }

        if (!kind.IsFieldBased())
            throw new CoreError($"relocation kind {(uint)kind} is unknown");

        spec.accessors.Add(new CoreAccessor(id, index, null));
        long size = CoreBtf.ResolveSize(btf, id);
        if (size < 0)
            throw new CoreError($"the root {CoreBtf.Describe(btf, id)} has no size");
        uint bitOffset = unchecked((uint)(index * size * 8));

        for (int i = 1; i < spec.raw.Count; i++)
        {
            t = CoreBtf.SkipModifiersAndTypedefs(btf, id, out id)
                ?? throw new CoreError($"type [{id}] at accessor {i} does not exist or its typedef chain is broken");
            index = spec.raw[i];

            if (CoreBtf.IsComposite(t))
            {
                if (index >= t.Members.Count)
                    throw new CoreError($"member index {index} (accessor {i}) is out of range: {CoreBtf.Describe(btf, id)} has {t.Members.Count} members");
                BtfMember m = t.Members[index];
                bitOffset = unchecked(bitOffset + m.BitOffset);
                if (m.Name.Length != 0)
                    spec.accessors.Add(new CoreAccessor(id, index, m.Name));
                id = m.TypeId;
            }
            else if (t.Kind == BtfKind.Array)
            {
                bool flexible = IsFlexibleArray(btf, spec.accessors[^1], t);
                if (!flexible && index >= t.ElementCount)
                    throw new CoreError($"array index {index} (accessor {i}) is out of bounds: {CoreBtf.Describe(btf, id)} has {t.ElementCount} elements");
                if (CoreBtf.SkipModifiersAndTypedefs(btf, t.ElementTypeId, out id) is null)
                    throw new CoreError($"the element type [{t.ElementTypeId}] of array [{id}] does not exist");
                spec.accessors.Add(new CoreAccessor(id, index, null));
                size = CoreBtf.ResolveSize(btf, id);
                if (size < 0)
                    throw new CoreError($"the array element {CoreBtf.Describe(btf, id)} has no size");
                bitOffset = unchecked(bitOffset + (uint)(index * size * 8));
            }
            else
            {
                throw new CoreError($"accessor {i} ({index}) indexes into {CoreBtf.Describe(btf, id)}, which is neither a struct, a union nor an array");
            }
        }
        spec.BitOffset = bitOffset;
        return spec;
    }

    /// <summary>An array of zero elements that is the last member of the struct the previous accessor named.</summary>
    internal static bool IsFlexibleArray(BtfSpec btf, CoreAccessor previous, BtfType array)
    {
        if (previous.Name is null || array.ElementCount > 0)
            return false;
        BtfType? owner = CoreBtf.TypeById(btf, previous.TypeId);
        return owner is not null && previous.Index == owner.Members.Count - 1;
    }

    // Mirrors sscanf("%d") per element: optional blanks and sign, then digits; negative indices are refused.
    static void ParseIndices(string s, List<int> into)
    {
        int pos = 0;
        while (pos < s.Length)
        {
            if (s[pos] == ':') pos++;
            int start = pos;
            while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
            bool negative = false;
            if (pos < s.Length && s[pos] is '+' or '-') negative = s[pos++] == '-';
            int digitsStart = pos;
            long value = 0;
            while (pos < s.Length && s[pos] is >= '0' and <= '9')
            {
                value = value * 10 + (s[pos++] - '0');
                if (value > int.MaxValue)
                    throw new CoreError($"index at position {start} of \"{s}\" does not fit in 32 bits");
            }
            if (pos == digitsStart)
                throw new CoreError($"expected an index at position {start} of \"{s}\"");
            if (negative && value != 0)
                throw new CoreError($"index -{value} at position {start} of \"{s}\" is negative");
            if (into.Count == CoreBtf.MaxSpecLength)
                throw new CoreError($"the access string has more than {CoreBtf.MaxSpecLength} accessors");
            into.Add((int)value);
        }
    }
}
