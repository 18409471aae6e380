using System.Globalization;

namespace BpfSharp.Btf.Dump;

/// <summary>Picks the types a dump is limited to: by id or name, optionally with everything they refer to.</summary>
public static class BtfTypeSelection
{
    /// <summary>
    /// The types a user means by <paramref name="idOrName"/>: a decimal type id (<c>"1234"</c>), a name
    /// (<c>"task_struct"</c>) or a name with its C keyword (<c>"struct task_struct"</c>, <c>"union bpf_attr"</c>,
    /// <c>"enum bpf_cmd"</c>, <c>"typedef u32"</c>). Forward declarations are dropped when a definition of the same
    /// name exists. Ids come back in increasing order; none when nothing matches.
    /// </summary>
    public static uint[] Find(BtfSpec spec, string idOrName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(idOrName);
        string text = idOrName.Trim();
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint id))
            return id > 0 && id < spec.Types.Count ? [id] : [];

        Func<BtfType, bool> accepts = static _ => true;
        string name = text;
        int space = text.IndexOf(' ');
        if (space > 0)
        {
            string keyword = text[..space];
            name = text[(space + 1)..].TrimStart();
            accepts = keyword switch
            {
                "struct" => static t => t.Kind == BtfKind.Struct || t.Kind == BtfKind.Forward && !t.KindFlag,
                "union" => static t => t.Kind == BtfKind.Union || t.Kind == BtfKind.Forward && t.KindFlag,
                "enum" => static t => t.Kind is BtfKind.Enum or BtfKind.Enum64,
                "typedef" => static t => t.Kind == BtfKind.Typedef,
                _ => static _ => false,
            };
        }

        var matches = new List<uint>();
        bool anyDefinition = false;
        foreach (BtfType t in spec.FindByName(name))
        {
            if (!accepts(t)) continue;
            matches.Add(t.Id);
            anyDefinition |= t.Kind != BtfKind.Forward;
        }
        if (anyDefinition) matches.RemoveAll(m => spec[m].Kind == BtfKind.Forward);
        matches.Sort();
        return [.. matches];
    }

    /// <summary>
    /// <paramref name="roots"/> and every type they refer to through members, elements, parameters, pointers,
    /// typedefs, qualifiers and section variables, in increasing id order (void excluded).
    /// </summary>
    public static uint[] WithDependencies(BtfSpec spec, ReadOnlySpan<uint> roots)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var seen = new bool[spec.Types.Count];
        var pending = new Stack<uint>();
        foreach (uint root in roots)
        {
            if (root >= seen.Length)
                throw new ArgumentOutOfRangeException(nameof(roots), root, $"The BTF has types 0 to {seen.Length - 1}.");
            Visit(root);
        }
        while (pending.Count > 0)
        {
            BtfType t = spec[pending.Pop()];
            switch (t.Kind)
            {
                case BtfKind.Array:
                    Visit(t.ElementTypeId);
                    Visit(t.IndexTypeId);
                    break;
                case BtfKind.Struct or BtfKind.Union:
                    foreach (BtfMember m in t.Members) Visit(m.TypeId);
                    break;
                case BtfKind.FuncProto:
                    Visit(t.TypeId);
                    foreach (BtfParameter p in t.Parameters) Visit(p.TypeId);
                    break;
                case BtfKind.DataSection:
                    foreach (BtfSectionVariable v in t.Variables) Visit(v.TypeId);
                    break;
                case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict
                    or BtfKind.TypeTag or BtfKind.Func or BtfKind.Var or BtfKind.DeclTag:
                    Visit(t.TypeId);
                    break;
            }
        }
        var result = new List<uint>();
        for (uint id = 1; id < seen.Length; id++)
            if (seen[id]) result.Add(id);
        return [.. result];

        void Visit(uint id)
        {
            if (id == 0) return;
            if (id >= seen.Length)
                throw new BtfFormatException($"BTF type id {id} is out of range (the blob has {seen.Length - 1} types).");
            if (seen[id]) return;
            seen[id] = true;
            pending.Push(id);
        }
    }
}
