namespace BpfSharp.Btf.Dump;

// Emitting: writes the queued definitions, and on the way the forward declarations the definitions need.
// `container` is the named struct/union being defined (0 at top level): a reference back to it needs no forward
// declaration.
public sealed partial class BtfCDumper
{
    void Emit(uint id, uint container, int depth)
    {
        Enter(id, depth);
        ref TypeState state = ref states[id];
        if (state.Emit == EmitState.Emitted) return;
        BtfType t = Type(id);
        bool topLevel = container == 0;

        if (state.Emit == EmitState.Emitting)
        {
            // Reached again while its own definition is being prepared: a forward declaration breaks the cycle.
            if (state.ForwardEmitted) return;
            switch (t.Kind)
            {
                case BtfKind.Struct or BtfKind.Union:
                    if (id == container || !IsNamed(t)) return;
                    WriteStructForward(id, t);
                    output.Write(";\n\n");
                    state.ForwardEmitted = true;
                    break;
                case BtfKind.Typedef:
                    // Written now, usable through pointers only; the definition after it is then skipped.
                    if (!IsCompilerBuiltin(t))
                    {
                        WriteTypedef(id, t, 0);
                        output.Write(";\n\n");
                    }
                    state.ForwardEmitted = true;
                    break;
            }
            return;
        }

        switch (t.Kind)
        {
            case BtfKind.Int:
                WriteMissingBaseTypeAlias(id);
                state.Emit = EmitState.Emitted;
                break;

            case BtfKind.Enum or BtfKind.Enum64:
                if (topLevel)
                {
                    WriteEnum(id, t, 0);
                    output.Write(";\n\n");
                }
                state.Emit = EmitState.Emitted;
                break;

            case BtfKind.Pointer or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                Emit(t.TypeId, container, depth + 1);
                break;

            case BtfKind.Array:
                Emit(t.ElementTypeId, container, depth + 1);
                break;

            case BtfKind.Forward:
                WriteForward(id, t);
                output.Write(";\n\n");
                state.Emit = EmitState.Emitted;
                break;

            case BtfKind.Typedef:
                state.Emit = EmitState.Emitting;
                Emit(t.TypeId, id, depth + 1);
                if (!state.ForwardEmitted && !IsCompilerBuiltin(t))
                {
                    WriteTypedef(id, t, 0);
                    output.Write(";\n\n");
                }
                state.Emit = EmitState.Emitted;
                break;

            case BtfKind.Struct or BtfKind.Union:
                state.Emit = EmitState.Emitting;
                if (topLevel || !IsNamed(t))
                {
                    // The members are written out here, so their types need declaring first; an anonymous
                    // aggregate belongs to the enclosing definition.
                    uint memberContainer = IsNamed(t) ? id : container;
                    IReadOnlyList<BtfMember> members = t.Members;
                    for (int i = 0; i < members.Count; i++)
                        Emit(members[i].TypeId, memberContainer, depth + 1);
                }
                else if (!state.ForwardEmitted && id != container)
                {
                    WriteStructForward(id, t);
                    output.Write(";\n\n");
                    state.ForwardEmitted = true;
                }
                if (topLevel)
                {
                    WriteStruct(id, t, 0);
                    output.Write(";\n\n");
                    state.Emit = EmitState.Emitted;
                }
                else
                {
                    state.Emit = EmitState.NotEmitted;
                }
                break;

            case BtfKind.FuncProto:
            {
                Emit(t.TypeId, container, depth + 1);
                IReadOnlyList<BtfParameter> parameters = t.Parameters;
                for (int i = 0; i < parameters.Count; i++)
                    Emit(parameters[i].TypeId, container, depth + 1);
                break;
            }
        }
    }

    /// <summary><c>__builtin_va_list</c> is the compiler's own; a typedef of it would not compile.</summary>
    static bool IsCompilerBuiltin(BtfType t) => t.Name == "__builtin_va_list";
}
