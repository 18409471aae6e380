using System.Reflection;
using System.Runtime.CompilerServices;

namespace BpfSharp.Layout;

/// <summary>
/// Walks a type field by field (into nested structs, fixed buffers and [InlineArray] elements) with the CLR's
/// real offsets, collecting rule violations and the byte ranges that hold data.
/// </summary>
internal sealed class LayoutWalker
{
    const int KernelAlignment = 8;

    readonly Type _root;
    readonly List<LayoutViolation> _violations = [];
    readonly List<(int Start, int End)> _data = [];

    LayoutWalker(Type root) => _root = root;

    public static MapTypeLayout Analyze(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.ContainsGenericParameters)
            throw new ArgumentException($"'{TypeDisplayName.Of(type)}' is an open generic type; check a closed instantiation.", nameof(type));

        var walker = new LayoutWalker(type);
        walker.VisitValue(type, path: "", offset: 0, report: true, checkMisalignment: true);
        bool measurable = (type.IsValueType && !type.IsByRefLike) || ClrLayout.IsPointerLike(type);
        int size = measurable ? ClrLayout.SizeOf(type) : 0;
        if (measurable && walker._data.Count == 0)
            walker.Report(LayoutSeverity.Error, "", type, -1, LayoutRule.MustHaveData,
                "has no fields: its one byte is padding, and the kernel would store and compare nothing",
                "give it at least one field; a map with no key (queue, stack, bloom filter) uses no key type.");

        return new MapTypeLayout(type, size, measurable ? ClrLayout.AlignmentOf(type) : 0, walker._violations, walker.Holes(size));
    }

    // 'offset' is from the start of the checked type.
    void VisitValue(Type type, string path, int offset, bool report, bool checkMisalignment)
    {
        if (ClrLayout.IsPointerLike(type))
        {
            AddData(offset, IntPtr.Size);
            if (report)
                Report(LayoutSeverity.Error, path, type, offset, LayoutRule.NoPointers,
                    "is a pointer: a user-space address means nothing in the kernel, and its size differs between 32- and 64-bit processes",
                    "use ulong if an address value is really meant; kernel pointers (kptr) are declared differently (not supported yet).");
            return;
        }

        if (!type.IsValueType || type.IsByRefLike)
        {
            if (report)
                Report(LayoutSeverity.Error, path, type, offset, LayoutRule.Unmanaged,
                    type.IsByRefLike ? "is a ref struct, which cannot be stored" : "is a reference type: the kernel would copy a managed object reference",
                    "store the data itself: value-type fields, a fixed buffer or an [InlineArray] struct.");
            return;
        }

        int size = ClrLayout.SizeOf(type);
        if (type.IsPrimitive || type.IsEnum)
        {
            AddData(offset, size);
            return;
        }

        if (type.IsAutoLayout)
        {
            AddData(offset, size);
            if (report)
                Report(LayoutSeverity.Error, path, type, offset, LayoutRule.SequentialOrExplicit,
                    "has LayoutKind.Auto: the CLR may order its fields differently from what a BPF program and BTF expect",
                    IsFromCoreLibrary(type)
                        ? "store its value in fields of primitive types instead (for DateTime and DateTimeOffset: the Ticks as a long)."
                        : $"remove [StructLayout(LayoutKind.Auto)] from '{TypeDisplayName.Of(type)}' (structs are Sequential by default).");
            return;
        }

        int alignment = ClrLayout.AlignmentOf(type);
        if (alignment > KernelAlignment && (IsFromCoreLibrary(type) || !HasOverAlignedField(type)))
        {
            AddData(offset, size);
            if (report)
                Report(LayoutSeverity.Error, path, type, offset, LayoutRule.AlignmentAtMost8,
                    $"needs {alignment}-byte alignment, but the kernel aligns map keys and values to {KernelAlignment} bytes",
                    OverAlignedFix(type, size));
            return;
        }

        if (type.GetCustomAttribute<InlineArrayAttribute>() is { } inlineArray)
        {
            FieldInfo element = ClrLayout.FieldOffsets(type).Single().Field;
            int stride = ClrLayout.SizeOf(element.FieldType);
            // Problems repeat in every element: report them once, at [0]; every element still holds data.
            for (int i = 0; i < inlineArray.Length; i++)
                VisitValue(element.FieldType, $"{path}[{i}]", offset + i * stride, report && i == 0, checkMisalignment);
            return;
        }

        foreach ((FieldInfo field, int fieldOffset) in ClrLayout.FieldOffsets(type))
            VisitField(field, path, offset + fieldOffset, report, checkMisalignment);
    }

    void VisitField(FieldInfo field, string parentPath, int offset, bool report, bool checkMisalignment)
    {
        string path = parentPath.Length == 0 ? DisplayName(field) : $"{parentPath}.{DisplayName(field)}";
        Type type = field.FieldType;

        int naturalAlignment = ClrLayout.AlignmentOf(type);
        if (checkMisalignment && offset % naturalAlignment != 0)
        {
            if (report)
                Report(LayoutSeverity.Warning, path, type, offset, LayoutRule.MisalignedField,
                    $"is not {naturalAlignment}-byte aligned (StructLayout Pack or FieldOffset): a BPF program must read it with unaligned accesses, which are slow and which the verifier refuses on packet and context memory",
                    $"remove Pack (or set it to at least {naturalAlignment}), or move the field to an offset that is a multiple of {naturalAlignment}.");
            // Everything inside is misaligned for the same reason: say it once.
            checkMisalignment = false;
        }

        if (field.GetCustomAttribute<FixedBufferAttribute>() is { } buffer)
        {
            AddData(offset, buffer.Length * ClrLayout.SizeOf(buffer.ElementType));
            return;
        }

        VisitValue(type, path, offset, report, checkMisalignment);
    }

    void AddData(int start, int length)
    {
        if (length > 0)
            _data.Add((start, start + length));
    }

    void Report(LayoutSeverity severity, string path, Type fieldType, int offset, string rule, string problem, string fix) =>
        _violations.Add(new LayoutViolation(_root, path, fieldType, path.Length == 0 ? -1 : offset, severity, rule, problem, fix));

    IReadOnlyList<PaddingHole> Holes(int size)
    {
        var holes = new List<PaddingHole>();
        int covered = 0;
        foreach ((int start, int end) in _data.OrderBy(r => r.Start))
        {
            if (start > covered)
                holes.Add(new PaddingHole(covered, start - covered));
            covered = Math.Max(covered, end);
        }
        if (_data.Count > 0 && size > covered)
            holes.Add(new PaddingHole(covered, size - covered));
        return holes;
    }

    static bool HasOverAlignedField(Type type) =>
        ClrLayout.FieldOffsets(type).Any(f => ClrLayout.AlignmentOf(f.Field.FieldType) > KernelAlignment);

    static bool IsFromCoreLibrary(Type type) => type.Assembly == typeof(object).Assembly;

    static string OverAlignedFix(Type type, int size)
    {
        if (type == typeof(Int128) || type == typeof(UInt128))
            return "store it as two ulong fields (Lo, Hi) or a fixed byte[16] buffer.";
        if (type.IsConstructedGenericType && type.Namespace == "System.Runtime.Intrinsics")
            return $"store the lanes in a fixed buffer or an [InlineArray] of {TypeDisplayName.Of(type.GetGenericArguments()[0])} and build the vector after reading.";
        return $"replace it with fields of 8 bytes or less, or a fixed byte[{size}] buffer.";
    }

    // Record structs and auto-properties store into "<Name>k__BackingField": show the property's name.
    static string DisplayName(FieldInfo field)
    {
        string name = field.Name;
        int close = name.IndexOf('>');
        return name.StartsWith('<') && close > 1 ? name[1..close] : name;
    }
}
