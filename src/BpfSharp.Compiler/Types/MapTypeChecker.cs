using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Types;

/// <summary>
/// The map key/value rules of docs/map-types.md applied to the compiler's <see cref="TypeModel"/>s: map keys and values
/// and global variables (which live in the value of a data-section map). Each violation becomes one diagnostic that
/// names the type, the field path, the offset, the rule and the fix, worded like the runtime's <c>BpfSharp.Layout</c>.
/// </summary>
public static class MapTypeChecker
{
    /// <summary>The alignment the kernel gives map keys and values.</summary>
    public const int KernelAlignment = 8;

    /// <summary>Checks the key and value of <paramref name="map"/> (and of its inner map); false when an error was reported.</summary>
    public static bool CheckMap(MapDeclaration map, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(map);
        bool ok = true;
        if (map.Key is { } key) ok &= Check(key, $"Map '{map.Name}' key type '{key.DisplayName}'", map.Source, diagnostics);
        if (map.Value is { } value) ok &= Check(value, $"Map '{map.Name}' value type '{value.DisplayName}'", map.Source, diagnostics);
        if (map.Inner is { } inner) ok &= CheckMap(inner with { Source = inner.Source ?? map.Source }, diagnostics);
        return ok;
    }

    /// <summary>Checks the type of a global variable; false when an error was reported.</summary>
    public static bool CheckGlobal(GlobalVariable global, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(global);
        return Check(global.Type, $"Global variable '{global.Name}' of type '{global.Type.DisplayName}'", global.Source, diagnostics, allowEmpty: true);
    }

    /// <summary>
    /// Checks <paramref name="type"/>, reporting each violation against <paramref name="location"/>;
    /// <paramref name="subject"/> introduces the messages (e.g. <c>Map 'Counts' key type 'Pair&lt;uint, ulong&gt;'</c>).
    /// Returns false when an error (not only warnings) was reported.
    /// </summary>
    public static bool Check(TypeModel type, string subject, SourceLocation? location, DiagnosticBag diagnostics, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var walk = new Walk(subject, location, diagnostics);
        walk.Value(type, path: "", offset: 0, report: true, checkMisalignment: true);
        if (!allowEmpty && type is StructType { Fields.Count: 0, InlineArrayLength: 0, FixedBuffer: null })
            walk.Error(DiagnosticCatalog.MapTypeEmpty);
        return !walk.HasErrors;
    }

    sealed class Walk(string subject, SourceLocation? location, DiagnosticBag diagnostics)
    {
        public bool HasErrors { get; private set; }

        public void Error(DiagnosticDescriptor descriptor, params object?[] args)
        {
            HasErrors |= descriptor.Severity == DiagnosticSeverity.Error;
            diagnostics.Add(descriptor, location, [subject, .. args]);
        }

        public void Value(TypeModel type, string path, int offset, bool report, bool checkMisalignment)
        {
            switch (type)
            {
                case PointerType or PrimitiveType { Kind: PrimitiveKind.IntPtr or PrimitiveKind.UIntPtr }:
                    if (report) Error(DiagnosticCatalog.MapTypePointer, Where(path, type, offset), type.DisplayName);
                    return;
                case ByRefType or ClassType:
                    if (report) Error(DiagnosticCatalog.MapTypeManaged, Where(path, type, offset),
                        type is ByRefType ? "a managed reference" : $"the reference type {type.DisplayName}");
                    return;
                case PrimitiveType { IsFloatingPoint: true }:
                    if (report) Error(DiagnosticCatalog.MapTypeFloatingPoint, Where(path, type, offset), type.DisplayName);
                    return;
                case StructType s:
                    Struct(s, path, offset, report, checkMisalignment);
                    return;
            }
        }

        void Struct(StructType s, string path, int offset, bool report, bool checkMisalignment)
        {
            if (s.FixedBuffer is { } buffer)
            {
                Value(buffer.Element, path + "[0]", offset, report, checkMisalignment);
                return;
            }
            if (s.LayoutKind == StructLayoutKind.Auto)
            {
                if (report) Error(DiagnosticCatalog.MapTypeAutoLayout, Where(path, s, offset));
                return;
            }
            // Report an over-aligned type at the innermost place that causes it (Int128 inside a user struct: at the Int128).
            if (s.Alignment > KernelAlignment && !s.Fields.Any(f => f.Type.Alignment > KernelAlignment))
            {
                if (report) Error(DiagnosticCatalog.MapTypeOverAligned, Where(path, s, offset), s.Alignment);
                return;
            }
            if (s.InlineArrayLength > 0 && s.Fields.Count == 1)
            {
                // Every element repeats the same problems: report them once, at [0].
                Value(s.Fields[0].Type, path + "[0]", offset, report, checkMisalignment);
                return;
            }
            foreach (FieldModel field in s.Fields)
                Field(field, path, offset + field.Offset, report, checkMisalignment);
        }

        void Field(FieldModel field, string parentPath, int offset, bool report, bool checkMisalignment)
        {
            string name = FieldName(field.Name);
            string path = parentPath.Length == 0 ? name : $"{parentPath}.{name}";
            TypeModel type = field.FixedBuffer?.Element ?? field.Type;
            int alignment = Math.Max(1, Math.Min(type.Alignment, KernelAlignment));
            if (checkMisalignment && offset % alignment != 0)
            {
                if (report) Error(DiagnosticCatalog.MapTypeMisaligned, Where(path, field.Type, offset), alignment);
                checkMisalignment = false; // everything inside is misaligned for the same reason: say it once
            }
            if (field.FixedBuffer is { } buffer)
                Value(buffer.Element, path + "[0]", offset, report, checkMisalignment);
            else
                Value(field.Type, path, offset, report, checkMisalignment);
        }

        static string Where(string path, TypeModel type, int offset) =>
            path.Length == 0 ? "the type itself" : $"field '{path}' ({type.DisplayName}) at offset {offset}";
    }

    /// <summary>Record structs and auto-properties store into <c>&lt;Name&gt;k__BackingField</c>: the user knows the property's name.</summary>
    internal static string FieldName(string name)
    {
        int close = name.IndexOf('>');
        return name.StartsWith('<') && close > 1 ? name[1..close] : name;
    }
}
