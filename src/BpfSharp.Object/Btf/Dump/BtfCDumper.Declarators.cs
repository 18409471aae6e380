using System.Runtime.CompilerServices;

namespace BpfSharp.Btf.Dump;

// Declarators: turning a chain of BTF types (typedef → array → ptr → const → int) into C's inside-out syntax
// (`const int *name[10]`). The chain is pushed onto a stack up to its terminal type (int, struct, typedef…), then
// written from the terminal outwards; arrays and function prototypes wrap what comes before them in parentheses.
// Nested declarations (parameters, members of inline structs) use the stack above the current frame.
public sealed partial class BtfCDumper
{
    /// <summary>Longer than any real declarator chain; a loop of pointers or qualifiers stops here.</summary>
    const int MaxChain = 256;

    uint[] declarators;
    int declaratorCount;
    int nesting;

    /// <summary>A view of one declaration's part of the shared stack; <see cref="Count"/> shrinks as it is written.</summary>
    struct Frame(int start, int count)
    {
        public readonly int Start = start;
        public int Count = count;
        public readonly bool IsEmpty => Count == 0;
    }

    uint Peek(in Frame frame) => declarators[frame.Start + frame.Count - 1];

    /// <summary>Writes <paramref name="name"/> declared with type <paramref name="id"/> (a member, parameter or typedef).</summary>
    void WriteDeclaration(uint id, string name, int level)
    {
        if (++nesting > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new BtfFormatException($"BTF type {Type(id)}: declarations nest too deep to write ({nesting} levels; a reference loop?).");
        int start = declaratorCount;
        while (true)
        {
            BtfType t = Type(id);
            Push(id, start);
            if (id == 0) break;
            if (t.Kind is BtfKind.Pointer or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.FuncProto or BtfKind.TypeTag)
                id = t.TypeId;
            else if (t.Kind == BtfKind.Array)
                id = t.ElementTypeId;
            else
                break; // a terminal type, or one that cannot appear in a declaration (written as nothing)
        }
        var frame = new Frame(start, declaratorCount - start);
        WriteChain(ref frame, name, level);
        declaratorCount = start;
        nesting--;
    }

    void Push(uint id, int start)
    {
        if (declaratorCount - start >= MaxChain)
            throw new BtfFormatException($"BTF type {Type(id)}: a chain of more than {MaxChain} pointers, arrays and qualifiers (a reference loop?).");
        if (declaratorCount == declarators.Length) Array.Resize(ref declarators, declarators.Length * 2);
        declarators[declaratorCount++] = id;
    }

    void WriteChain(ref Frame frame, string name, int level)
    {
        // True at the start so that a lone pointer in a function-pointer frame is written `(*name)`, not `( *name)`.
        bool lastWasPointer = true;
        while (!frame.IsEmpty)
        {
            uint id = declarators[frame.Start + --frame.Count];
            if (id == 0)
            {
                WriteQualifiers(ref frame);
                output.Write("void");
                lastWasPointer = false;
                continue;
            }

            BtfType t = Type(id);
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Float:
                    WriteQualifiers(ref frame);
                    output.Write(t.Name);
                    break;
                case BtfKind.Struct or BtfKind.Union:
                    WriteQualifiers(ref frame);
                    if (IsNamed(t)) WriteStructForward(id, t);
                    else WriteStruct(id, t, level);
                    break;
                case BtfKind.Enum or BtfKind.Enum64:
                    WriteQualifiers(ref frame);
                    if (IsNamed(t)) WriteEnumForward(id);
                    else WriteEnum(id, t, level);
                    break;
                case BtfKind.Forward:
                    WriteQualifiers(ref frame);
                    WriteForward(id, t);
                    break;
                case BtfKind.Typedef:
                    WriteQualifiers(ref frame);
                    output.Write(IdentifierName(id));
                    break;
                case BtfKind.Pointer:
                    output.Write(lastWasPointer ? "*" : " *");
                    break;
                case BtfKind.Volatile:
                    output.Write(" volatile");
                    break;
                case BtfKind.Const:
                    output.Write(" const");
                    break;
                case BtfKind.Restrict:
                    output.Write(" restrict");
                    break;
                case BtfKind.TypeTag:
                    WriteQualifiers(ref frame);
                    output.Write(" __attribute__((btf_type_tag(\"");
                    output.Write(t.Name);
                    output.Write("\")))");
                    break;
                case BtfKind.Array:
                    WriteArray(ref frame, t, name, lastWasPointer, level);
                    return;
                case BtfKind.FuncProto:
                    WriteFunctionProto(ref frame, t, name, lastWasPointer, level);
                    return;
                default:
                    return; // FUNC, VAR, DATASEC, DECL_TAG have no C declarator
            }
            lastWasPointer = t.Kind == BtfKind.Pointer;
        }
        WriteName(name, lastWasPointer);
    }

    void WriteArray(ref Frame frame, BtfType array, string name, bool lastWasPointer, int level)
    {
        // Qualifiers on an array itself (GCC copies its elements' onto it) mean nothing in C.
        DropQualifiers(ref frame);
        if (frame.IsEmpty)
        {
            WriteName(name, lastWasPointer);
        }
        else
        {
            // What lies between the array and the name binds tighter: `int (*name)[4]`, but `int name[2][4]`.
            bool nested = Type(Peek(frame)).Kind == BtfKind.Array;
            if (name.Length != 0 && !lastWasPointer) output.Write(' ');
            if (!nested) output.Write('(');
            WriteChain(ref frame, name, level);
            if (!nested) output.Write(')');
        }
        output.Write('[');
        output.WriteNumber(array.ElementCount);
        output.Write(']');
    }

    void WriteFunctionProto(ref Frame frame, BtfType proto, string name, bool lastWasPointer, int level)
    {
        // GCC marks noreturn function pointers volatile; that is no C.
        DropQualifiers(ref frame);
        if (frame.IsEmpty)
        {
            WriteName(name, lastWasPointer);
        }
        else
        {
            output.Write(" (");
            WriteChain(ref frame, name, level);
            output.Write(')');
        }
        output.Write('(');
        IReadOnlyList<BtfParameter> parameters = proto.Parameters;
        // `()` would declare unknown parameters; clang describes `f(void)` as one parameter of type void.
        if (parameters.Count == 0 || (parameters.Count == 1 && parameters[0].TypeId == 0))
        {
            output.Write("void)");
            return;
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            if (i > 0) output.Write(", ");
            BtfParameter p = parameters[i];
            if (i == parameters.Count - 1 && p.TypeId == 0)
            {
                output.Write("...");
                break;
            }
            WriteDeclaration(p.TypeId, p.Name, level);
        }
        output.Write(')');
    }

    /// <summary>Writes the const/volatile/restrict that apply to the terminal type just popped, before it.</summary>
    void WriteQualifiers(ref Frame frame)
    {
        while (!frame.IsEmpty)
        {
            string? qualifier = Type(Peek(frame)).Kind switch
            {
                BtfKind.Volatile => "volatile ",
                BtfKind.Const => "const ",
                BtfKind.Restrict => "restrict ",
                _ => null,
            };
            if (qualifier is null) return;
            output.Write(qualifier);
            frame.Count--;
        }
    }

    void DropQualifiers(ref Frame frame)
    {
        while (!frame.IsEmpty && Type(Peek(frame)).Kind is BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag)
            frame.Count--;
    }

    void WriteName(string name, bool lastWasPointer)
    {
        if (name.Length == 0) return;
        if (!lastWasPointer) output.Write(' ');
        output.Write(name);
    }
}
