using BpfSharp.Btf;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Emit;

/// <summary>BTF FUNC + FUNC_PROTO for functions and kfuncs, with parameter names.</summary>
internal static class FunctionBtf
{
    /// <summary>
    /// A FUNC for <paramref name="function"/>: its C# signature when known, else one parameter per register with the
    /// register's name and a type from its kind (I32 → int, I64 → long, Ptr → void *).
    /// </summary>
    public static uint Write(BtfTypeWriter types, IrFunction function, BtfLinkage linkage)
    {
        uint proto;
        if (function.Signature is { } signature)
            proto = Proto(types, signature);
        else
        {
            var parameters = function.Parameters
                .Select((p, i) => (CIdentifier.From(p.Name ?? $"arg{i}"), KindType(types, p.Kind)))
                .ToArray();
            proto = types.Builder.AddFuncProto(function.ReturnKind is { } k ? KindType(types, k) : 0, parameters);
        }
        return types.Builder.AddFunc(CIdentifier.From(function.Name), proto, linkage);
    }

    /// <summary>An extern FUNC for a kfunc, resolved by name against the kernel's BTF at load time.</summary>
    public static uint WriteKfunc(BtfTypeWriter types, string name, FunctionSignature signature) =>
        types.Builder.AddFunc(name, Proto(types, signature), BtfLinkage.Extern);

    static uint Proto(BtfTypeWriter types, FunctionSignature signature)
    {
        var parameters = signature.Parameters
            .Select((p, i) => (p.Name.Length == 0 ? $"arg{i}" : CIdentifier.From(p.Name), types.TypeId(p.Type)))
            .ToArray();
        return types.Builder.AddFuncProto(types.TypeId(signature.ReturnType is PrimitiveType { Kind: PrimitiveKind.Void } ? null : signature.ReturnType), parameters);
    }

    static uint KindType(BtfTypeWriter types, ValueKind kind) => kind switch
    {
        ValueKind.I32 => types.Int("int", 4, signed: true),
        ValueKind.I64 => types.Int("long", 8, signed: true),
        _ => types.Pointer(0),
    };
}
