using System.Collections.Immutable;
using System.Reflection.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Metadata;

/// <summary>A method as a call site or definition names it, with generic arguments substituted.</summary>
public sealed record MethodReference(
    string DeclaringTypeFullName,
    TypeModel DeclaringType,
    string Name,
    MethodSignature<TypeModel> Signature,
    GenericContext Context)
{
    /// <summary>The assembly holding the definition, or null when it is not available (the core library).</summary>
    public LoadedAssembly? Assembly { get; init; }

    /// <summary>The definition, or nil.</summary>
    public MethodDefinitionHandle Definition { get; init; }

    public bool IsStatic => !Signature.Header.IsInstance;
    public bool HasDefinition => Assembly is not null && !Definition.IsNil;

    /// <summary>Parameter count including <c>this</c>.</summary>
    public int ArgumentCount => Signature.ParameterTypes.Length + (IsStatic ? 0 : 1);

    public ImmutableArray<TypeModel> MethodArguments => Context.MethodArguments;

    /// <summary>A stable identity (definition plus generic arguments) for caches and recursion checks.</summary>
    public string Key => $"{Assembly?.Name}|{(Definition.IsNil ? DisplayName : System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(Definition).ToString(System.Globalization.CultureInfo.InvariantCulture))}|{string.Join(",", Context.TypeArguments.Select(t => t.DisplayName))}|{string.Join(",", Context.MethodArguments.Select(t => t.DisplayName))}";

    /// <summary>C#-like, e.g. <c>Helpers.KtimeGetNs()</c> or <c>HashMap&lt;uint, ulong&gt;.Lookup(ref uint)</c>.</summary>
    public string DisplayName
    {
        get
        {
            string generic = Context.MethodArguments.IsEmpty ? "" : "<" + string.Join(", ", Context.MethodArguments.Select(t => t.DisplayName)) + ">";
            return $"{DeclaringType.DisplayName}.{Name}{generic}({string.Join(", ", Signature.ParameterTypes.Select(t => t.DisplayName))})";
        }
    }

    public override string ToString() => DisplayName;
}

/// <summary>A field as a load, store or address instruction names it.</summary>
public sealed record FieldReference(string DeclaringTypeFullName, TypeModel DeclaringType, string Name, TypeModel Type, bool IsStatic)
{
    /// <summary>For an instance field of a struct: its offset.</summary>
    public int Offset { get; init; }

    /// <summary>For a C# <c>const</c> (literal) field, its value; Roslyn inlines these, so they are rare in IL.</summary>
    public bool IsLiteral { get; init; }

    public LoadedAssembly? Assembly { get; init; }
    public FieldDefinitionHandle Definition { get; init; }

    public string DisplayName => $"{DeclaringType.DisplayName}.{Name}";
    public override string ToString() => DisplayName;
}
