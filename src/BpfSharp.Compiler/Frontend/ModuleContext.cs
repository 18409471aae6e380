using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Emit;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

/// <summary>What the translation of one module's methods shares: types, the module being built, maps, globals, subprograms.</summary>
internal sealed class ModuleContext(TypeSystem types, IrModule module, DiagnosticBag diagnostics, string moduleTypeFullName)
{
    public TypeSystem Types { get; } = types;
    public IrModule Module { get; } = module;
    public DiagnosticBag Diagnostics { get; } = diagnostics;
    public string ModuleTypeFullName { get; } = moduleTypeFullName;

    /// <summary>[Map] fields by "DeclaringType.Field" → map name.</summary>
    public Dictionary<string, string> MapFields { get; } = new(StringComparer.Ordinal);

    /// <summary>Module statics by "DeclaringType.Field" → global variable.</summary>
    public Dictionary<string, GlobalVariable> Globals { get; } = new(StringComparer.Ordinal);

    /// <summary>Subprograms by method key → function name; queued for translation.</summary>
    public Dictionary<string, string> Subprograms { get; } = new(StringComparer.Ordinal);
    public Queue<(MethodReference Method, IrFunction Function)> PendingSubprograms { get; } = new();

    readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    readonly Dictionary<string, IReadOnlyList<AttributeData>> _attributes = new(StringComparer.Ordinal);

    public IReadOnlyList<AttributeData> AttributesOf(MethodReference method)
    {
        if (!method.HasDefinition) return [];
        string key = method.Assembly!.Name + "|" + System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(method.Definition);
        if (!_attributes.TryGetValue(key, out var list))
            _attributes[key] = list = AttributeData.Read(Types, method.Assembly, method.Assembly.Reader.GetMethodDefinition(method.Definition).GetCustomAttributes());
        return list;
    }

    /// <summary>A NUL-terminated string literal in <c>.rodata</c> (for trace_printk formats); returns its variable name.</summary>
    public string StringLiteral(string text)
    {
        if (_strings.TryGetValue(text, out string? name)) return name;
        byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes(text), 0];
        name = $"__bpfsharp_str{_strings.Count}";
        var type = new StructType(name + "_t", "", []) { LayoutKind = StructLayoutKind.Sequential, SizeValue = bytes.Length, AlignmentValue = 1, InlineArrayLength = bytes.Length };
        type.Fields = [new FieldModel("text", Types.Primitive(PrimitiveKind.Byte), 0)];
        Module.Globals.Add(new GlobalVariable(name, type, GlobalSection.ReadOnly, bytes));
        _strings[text] = name;
        return name;
    }

    /// <summary>The name of the subprogram for <paramref name="method"/>, creating and queueing it on first use.</summary>
    public string Subprogram(MethodReference method)
    {
        if (Subprograms.TryGetValue(method.Key, out string? name)) return name;
        name = CIdentifier.Unique(CIdentifier.From(method.Name + (method.MethodArguments.IsEmpty ? "" : "_" + string.Join("_", method.MethodArguments.Select(t => t.DisplayName)))),
            n => Module.Functions.Any(f => f.Name == n) || Subprograms.ContainsValue(n));
        Subprograms[method.Key] = name;
        var function = new IrFunction(name);
        Module.Functions.Add(function);
        PendingSubprograms.Enqueue((method, function));
        return name;
    }
}
