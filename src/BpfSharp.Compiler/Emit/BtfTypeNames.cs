using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Emit;

/// <summary>
/// BTF names for the module's structs and enums: valid C identifiers, deterministic, readable for generic
/// instantiations (<c>Pair&lt;uint, ulong&gt;</c> → <c>Pair_u32_u64</c>), nested types as <c>Outer_Inner</c>, and unique:
/// types whose names collide are all qualified with their namespace (<c>App_Net_Key</c>); only if that still collides
/// (same name from two assemblies) a number is appended.
/// </summary>
internal sealed class BtfTypeNames
{
    readonly Dictionary<TypeModel, string> names = new(ReferenceEqualityComparer.Instance);
    readonly HashSet<TypeModel> qualified = new(ReferenceEqualityComparer.Instance);

    /// <summary>Names every struct and enum reachable from <paramref name="roots"/>.</summary>
    public BtfTypeNames(IEnumerable<TypeModel> roots)
    {
        var named = new List<TypeModel>();
        var seen = new HashSet<TypeModel>(ReferenceEqualityComparer.Instance);
        foreach (TypeModel root in roots) Collect(root, named, seen);

        // Qualify colliding types with their namespace until no name is shared; generic arguments' names feed into
        // their instantiations' names, so recompute all names each round.
        for (int round = 0; round < 4; round++)
        {
            names.Clear();
            bool changed = false;
            foreach (var group in named.GroupBy(Compute, StringComparer.Ordinal))
            {
                if (group.Count() < 2) continue;
                foreach (TypeModel t in group) changed |= qualified.Add(t);
            }
            if (!changed) break;
        }
        names.Clear();
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (TypeModel t in named)
        {
            string name = Compute(t);
            if (used.TryGetValue(name, out int count))
            {
                used[name] = count + 1;
                name = $"{name}_{count + 1}";
            }
            else used[name] = 1;
            names[t] = name;
        }
    }

    /// <summary>The BTF name of a struct or enum (computed on the spot for a type not seen at construction).</summary>
    public string this[TypeModel type] => names.TryGetValue(type, out string? name) ? name : Compute(type);

    void Collect(TypeModel type, List<TypeModel> named, HashSet<TypeModel> seen)
    {
        if (!seen.Add(type)) return;
        switch (type)
        {
            case StructType s:
                foreach (TypeModel a in s.TypeArguments) Collect(a, named, seen);
                foreach (FieldModel f in s.Fields) Collect(f.FixedBuffer?.Element ?? f.Type, named, seen);
                if (s.FixedBuffer is null) named.Add(s);
                break;
            case EnumType:
                named.Add(type);
                break;
            case PointerType p: Collect(p.Element, named, seen); break;
            case ByRefType r: Collect(r.Element, named, seen); break;
            case ClassType c:
                foreach (TypeModel a in c.TypeArguments) Collect(a, named, seen);
                break;
        }
    }

    string Compute(TypeModel type)
    {
        if (names.TryGetValue(type, out string? cached)) return cached;
        string result = type switch
        {
            StructType s => Own(s.Name, s.Namespace, type) + Arguments(s.TypeArguments),
            EnumType e => Own(e.Name, e.Namespace, type),
            _ => Short(type),
        };
        names[type] = result;
        return result;
    }

    string Own(string name, string @namespace, TypeModel type)
    {
        string own = CIdentifier.From(name.Replace('.', '_'));
        return qualified.Contains(type) && @namespace.Length > 0 ? CIdentifier.From(@namespace.Replace('.', '_')) + "_" + own : own;
    }

    string Arguments(IReadOnlyList<TypeModel> arguments) =>
        arguments.Count == 0 ? "" : "_" + string.Join("_", arguments.Select(Short));

    /// <summary>How a type reads as part of a generic instantiation's name.</summary>
    string Short(TypeModel type) => type switch
    {
        PrimitiveType p => p.Kind switch
        {
            PrimitiveKind.Bool => "bool", PrimitiveKind.Char => "char",
            PrimitiveKind.SByte => "s8", PrimitiveKind.Byte => "u8", PrimitiveKind.Int16 => "s16", PrimitiveKind.UInt16 => "u16",
            PrimitiveKind.Int32 => "s32", PrimitiveKind.UInt32 => "u32", PrimitiveKind.Int64 => "s64", PrimitiveKind.UInt64 => "u64",
            PrimitiveKind.IntPtr => "sptr", PrimitiveKind.UIntPtr => "uptr", PrimitiveKind.Single => "f32", PrimitiveKind.Double => "f64",
            _ => "void",
        },
        PointerType p => p.IsFunctionPointer ? "fnptr" : "ptr_" + Short(p.Element),
        ByRefType r => "ref_" + Short(r.Element),
        ClassType c => CIdentifier.From(c.Name.Replace('.', '_')) + Arguments(c.TypeArguments),
        StructType s when s.FixedBuffer is { } b => $"{Short(b.Element)}_{b.Length}",
        _ => Compute(type),
    };
}
