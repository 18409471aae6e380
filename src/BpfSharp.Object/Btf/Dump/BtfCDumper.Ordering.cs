namespace BpfSharp.Btf.Dump;

// Ordering: a depth-first walk that queues named definitions so that every type is defined before a definition
// embeds it. A link is "strong" when the target must be complete (embedded, or anonymous and so written inline)
// and "weak" when a forward declaration is enough (reached through a pointer and named).
public sealed partial class BtfCDumper
{
    /// <summary>Queues <paramref name="id"/>'s definition after those it needs; true when the link to it is strong.</summary>
    bool Order(uint id, bool throughPointer, int depth)
    {
        Enter(id, depth);
        ref TypeState state = ref states[id];
        // A finished type reports "strong"; typedefs rely on that to be queued once their target is settled.
        if (state.Order == OrderState.Ordered) return true;
        BtfType t = Type(id);
        if (state.Order == OrderState.Ordering)
        {
            if (t.Kind is BtfKind.Struct or BtfKind.Union && throughPointer && IsNamed(t)) return false;
            throw new BtfFormatException($"BTF type {t} contains itself other than through a pointer to a named struct or union; C cannot declare it (unsatisfiable type cycle).");
        }

        switch (t.Kind)
        {
            case BtfKind.Int or BtfKind.Float:
                state.Order = OrderState.Ordered;
                return false;

            case BtfKind.Pointer:
            {
                bool strong = Order(t.TypeId, throughPointer: true, depth + 1);
                states[id].Order = OrderState.Ordered;
                return strong;
            }

            case BtfKind.Array:
                return Order(t.ElementTypeId, throughPointer: false, depth + 1);

            case BtfKind.Struct or BtfKind.Union:
            {
                // A named aggregate behind a pointer only needs `struct X;`; an anonymous one is written inline.
                if (throughPointer && IsNamed(t)) return false;
                state.Order = OrderState.Ordering;
                IReadOnlyList<BtfMember> members = t.Members;
                for (int i = 0; i < members.Count; i++)
                    Order(members[i].TypeId, throughPointer: false, depth + 1);
                if (IsNamed(t)) emitQueue.Add(id);
                states[id].Order = OrderState.Ordered;
                return true;
            }

            case BtfKind.Enum or BtfKind.Enum64 or BtfKind.Forward:
                // An anonymous enum nothing refers to is a block of constants and is written at top level.
                if (IsNamed(t) || !IsReferenced(id)) emitQueue.Add(id);
                states[id].Order = OrderState.Ordered;
                return true;

            case BtfKind.Typedef:
            {
                bool strong = Order(t.TypeId, throughPointer, depth + 1);
                if (throughPointer && !strong) return false;
                emitQueue.Add(id);
                states[id].Order = OrderState.Ordered;
                return true;
            }

            case BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                return Order(t.TypeId, throughPointer, depth + 1);

            case BtfKind.FuncProto:
            {
                bool strong = Order(t.TypeId, throughPointer, depth + 1);
                IReadOnlyList<BtfParameter> parameters = t.Parameters;
                for (int i = 0; i < parameters.Count; i++)
                    strong |= Order(parameters[i].TypeId, throughPointer, depth + 1);
                return strong;
            }

            default: // FUNC, VAR, DATASEC, DECL_TAG declare no type
                state.Order = OrderState.Ordered;
                return false;
        }
    }

    /// <summary>Whether any type refers to <paramref name="id"/>; computed once, for the first anonymous enum.</summary>
    bool IsReferenced(uint id)
    {
        referenced ??= FindReferencedTypes();
        return referenced[id];
    }

    bool[] FindReferencedTypes()
    {
        var result = new bool[typeCount];
        for (uint id = 1; id < typeCount; id++)
        {
            BtfType t = Type(id);
            switch (t.Kind)
            {
                case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.Func or BtfKind.Var or BtfKind.DeclTag or BtfKind.TypeTag:
                    Mark(t.TypeId);
                    break;
                case BtfKind.Array:
                    Mark(t.IndexTypeId);
                    Mark(t.ElementTypeId);
                    break;
                case BtfKind.Struct or BtfKind.Union:
                {
                    IReadOnlyList<BtfMember> members = t.Members;
                    for (int i = 0; i < members.Count; i++) Mark(members[i].TypeId);
                    break;
                }
                case BtfKind.FuncProto:
                {
                    // The return type does not count (libbpf marks parameters only).
                    IReadOnlyList<BtfParameter> parameters = t.Parameters;
                    for (int i = 0; i < parameters.Count; i++) Mark(parameters[i].TypeId);
                    break;
                }
                case BtfKind.DataSection:
                {
                    IReadOnlyList<BtfSectionVariable> variables = t.Variables;
                    for (int i = 0; i < variables.Count; i++) Mark(variables[i].TypeId);
                    break;
                }
            }
        }
        return result;

        void Mark(uint target)
        {
            if (target < result.Length) result[target] = true;
        }
    }
}
