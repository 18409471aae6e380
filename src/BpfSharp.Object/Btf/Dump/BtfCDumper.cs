using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Btf.Dump;

/// <summary>
/// Writes BTF types as C declarations that compile, the output of <c>bpftool btf dump file X format c</c> (libbpf's
/// <c>btf_dump</c>): definitions in dependency order, forward declarations where a pointer allows one, anonymous
/// structs, unions and enums inline, bitfields, explicit padding, <c>__attribute__((packed))</c>, and <c>___N</c>
/// suffixes for names that occur more than once.
/// </summary>
/// <remarks>
/// One dumper remembers what it has written: <see cref="Dump"/> a type, then another, and the second writes only
/// what the first has not. Text goes straight to the <see cref="TextWriter"/>; nothing is buffered.
/// Throws <see cref="BtfFormatException"/> for BTF that C cannot express (a type that contains itself other than
/// through a pointer to a named type) or that is malformed (a chain of pointers or qualifiers that loops).
/// </remarks>
public sealed partial class BtfCDumper
{
    /// <summary>Deeper than any real type graph (vmlinux needs a few dozen); stops reference loops in malformed BTF.</summary>
    const int MaxDepth = 512;

    readonly BtfSpec spec;
    readonly TextWriter output;
    readonly int typeCount;
    readonly TypeState[] states;
    readonly Dictionary<uint, string> renamed = [];
    readonly Dictionary<string, int> typeNameCounts = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> identifierCounts = new(StringComparer.Ordinal);
    readonly List<uint> emitQueue = [];
    readonly int pointerSize;
    readonly BtfCDumpOptions options;
    bool[]? referenced;

    /// <summary>A dumper that writes declarations of types of <paramref name="spec"/> to <paramref name="output"/>.</summary>
    public BtfCDumper(BtfSpec spec, TextWriter output, BtfCDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        this.spec = spec;
        this.output = output;
        this.options = options ?? BtfCDumpOptions.Default;
        int count = spec.Types.Count;
        typeCount = count;
        states = new TypeState[count];
        alignments = new sbyte[count];
        declarators = new uint[16];
        states[0] = new TypeState { Order = OrderState.Ordered, Emit = EmitState.Emitted };
        pointerSize = GuessPointerSize();
    }

    /// <summary>
    /// Writes every type of <paramref name="spec"/> as a header like bpftool's <c>vmlinux.h</c>: include guard and
    /// the <c>preserve_access_index</c> pragma block around the declarations.
    /// </summary>
    public static void WriteHeader(BtfSpec spec, TextWriter output, BtfCDumpOptions? options = null) =>
        WriteGuarded(spec, output, options, static dumper => dumper.DumpAll());

    /// <summary>
    /// Like <see cref="WriteHeader(BtfSpec, TextWriter, BtfCDumpOptions?)"/>, limited to <paramref name="rootIds"/>
    /// and the types they need (bpftool's <c>root_id</c>); see <see cref="BtfTypeSelection.Find"/> to pick them by name.
    /// </summary>
    public static void WriteHeader(BtfSpec spec, TextWriter output, IEnumerable<uint> rootIds, BtfCDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rootIds);
        WriteGuarded(spec, output, options, dumper =>
        {
            foreach (uint id in rootIds) dumper.Dump(id);
        });
    }

    static void WriteGuarded(BtfSpec spec, TextWriter output, BtfCDumpOptions? options, Action<BtfCDumper> body)
    {
        var dumper = new BtfCDumper(spec, output, options);
        output.Write(
            "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n" +
            "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n" +
            "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n" +
            "#endif\n\n");
        body(dumper);
        output.Write(
            "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n" +
            "#endif /* __VMLINUX_H__ */\n");
    }

    /// <summary>Writes every type, in id order, each after the types it depends on.</summary>
    public void DumpAll()
    {
        for (uint id = 1; id < typeCount; id++)
            Dump(id);
    }

    /// <summary>
    /// Writes type <paramref name="id"/> and, before it, every type its definition needs that this dumper has not
    /// written yet (types reached only through a pointer to a named struct or union get a forward declaration).
    /// Functions, variables, sections and tags write nothing.
    /// </summary>
    public void Dump(uint id)
    {
        if (id >= typeCount)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"The BTF has types 0 to {typeCount - 1}.");
        emitQueue.Clear();
        Order(id, throughPointer: false, depth: 0);
        foreach (uint queued in emitQueue)
            Emit(queued, container: 0, depth: 0);
    }

    BtfType Type(uint id) => spec[id]; // throws BtfFormatException for an id outside the BTF

    static bool IsNamed(BtfType t) => t.Name.Length != 0 && t.Id != 0;

    /// <summary>Validates a type id met while walking the graph, and the depth of the walk.</summary>
    void Enter(uint id, int depth)
    {
        if (id >= typeCount)
            throw new BtfFormatException($"BTF refers to type id {id}, but the blob has types 0 to {typeCount - 1}.");
        if (depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new BtfFormatException($"BTF type {Type(id)}: its references nest too deep to follow ({depth} levels); the BTF has a reference loop that passes through no named struct, union or typedef.");
    }

    /// <summary>The name a struct, union, enum (or int) is written with: its own, or NAME___N for the N-th type so named.</summary>
    string TypeName(uint id) => UniqueName(id, typeNameCounts);

    /// <summary>The name a typedef is written with; typedefs share their namespace with enumerators.</summary>
    string IdentifierName(uint id) => UniqueName(id, identifierCounts);

    string UniqueName(uint id, Dictionary<string, int> counts)
    {
        BtfType t = Type(id);
        if (!IsNamed(t)) return "";
        ref TypeState state = ref states[id];
        if (!state.NameResolved)
        {
            state.NameResolved = true;
            // A forward declaration or an empty enum only names a type defined elsewhere: it keeps that name and
            // does not count as an occurrence.
            if (t.Kind == BtfKind.Forward || (t.Kind == BtfKind.Enum && t.EnumValues.Count == 0))
                return t.Name;
            int occurrence = CountOccurrence(counts, t.Name);
            if (occurrence > 1)
            {
                string unique = $"{t.Name}___{occurrence}";
                renamed[id] = unique.Length > 255 ? unique[..255] : unique; // libbpf formats into 256 bytes
                state.Renamed = true;
            }
        }
        return state.Renamed ? renamed[id] : t.Name;
    }

    static int CountOccurrence(Dictionary<string, int> counts, string name)
    {
        ref int count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, name, out _);
        return ++count;
    }

    enum OrderState : byte { NotOrdered, Ordering, Ordered }

    enum EmitState : byte { NotEmitted, Emitting, Emitted }

    struct TypeState
    {
        public OrderState Order;
        public EmitState Emit;
        /// <summary>A forward declaration (struct/union) or the typedef itself has been written ahead of the definition.</summary>
        public bool ForwardEmitted;
        public bool NameResolved;
        public bool Renamed;
    }
}
