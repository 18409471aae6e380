using System.Reflection;
using System.Reflection.Metadata;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

// Calls: intrinsics, kernel helpers and kfuncs, inlining, BPF-to-BPF calls, constructors.
internal sealed partial class MethodTranslator
{
    const string HelperAttribute = "BpfSharp.Kernel.BpfHelperAttribute";
    const string KfuncAttribute = "BpfSharp.Kernel.BpfKfuncAttribute";

    void Call(IlInstruction i)
    {
        MethodReference m = _module.Types.ResolveMethod(_assembly, i.Token, _method.Context);
        if (!i.Constrained.IsNil)
        {
            TypeModel constraint = TokenType(i.Constrained);
            if (constraint is not StructType && constraint is not PrimitiveType && constraint is not EnumType)
                throw Error(DiagnosticCatalog.VirtualCall, Where, m.DisplayName);
            if (m.DeclaringType != constraint)
                throw Error(DiagnosticCatalog.VirtualCall, Where, $"{m.DisplayName} on {constraint.DisplayName} (an object or interface method)");
        }
        StackValue[] args = PopMany(m.ArgumentCount);
        // The value is discarded when the next instruction pops it and no branch lands between the two.
        bool resultUnused = _position + 1 < _il.Count && _il[_position + 1].OpCode == ILOpCode.Pop && !_blocks.ContainsKey(_il[_position + 1].Offset);
        StackValue? result = Invoke(m, args, resultUnused, i.OpCode == ILOpCode.Callvirt);
        if (result is not null) Push(result);
    }

    StackValue? Invoke(MethodReference m, StackValue[] args, bool resultUnused, bool isVirtual)
    {
        if (TryIntrinsic(m, args, resultUnused) is { } intrinsic) return intrinsic.Value;
        IReadOnlyList<AttributeData> attributes = _module.AttributesOf(m);
        if (attributes.FirstOrDefault(a => a.TypeFullName == HelperAttribute) is { Arguments: [int id] })
            return HelperCall(new HelperTarget(id, m.Name), m, args);
        if (attributes.FirstOrDefault(a => a.TypeFullName == KfuncAttribute) is { Arguments: [string kfunc] })
        {
            _module.Module.Kfuncs.TryAdd(kfunc, new FunctionSignature([.. m.Signature.ParameterTypes.Select((t, k) => ($"arg{k}", t))],
                m.Signature.ReturnType is PrimitiveType { Kind: PrimitiveKind.Void } ? null : m.Signature.ReturnType));
            return HelperCall(new KfuncTarget(kfunc), m, args);
        }
        if (!m.HasDefinition)
            throw Error(DiagnosticCatalog.UnsupportedCall, Where, m.DisplayName);
        MethodDefinition def = m.Assembly!.Reader.GetMethodDefinition(m.Definition);
        if (m.DeclaringType is ClassType { KernelName: null } && !m.IsStatic)
            throw Error((def.Attributes & MethodAttributes.Virtual) != 0 && isVirtual ? DiagnosticCatalog.VirtualCall : DiagnosticCatalog.ManagedReference, Where, m.DisplayName);
        if ((def.Attributes & MethodAttributes.Abstract) != 0)
            throw Error(DiagnosticCatalog.VirtualCall, Where, m.DisplayName);
        if ((def.ImplAttributes & MethodImplAttributes.NoInlining) != 0 && m.Assembly.Name != TypeSystem.KernelAssemblyName)
            return SubprogramCall(m, args);
        return Inline(m, args);
    }

    StackValue? HelperCall(CallTarget target, MethodReference m, StackValue[] args)
    {
        var operands = new List<Operand>();
        for (int k = 0; k < args.Length; k++)
        {
            TypeModel paramType = ParameterType(m, k);
            if (args[k] is StringValue s)
            {
                // A string argument is a constant in .rodata, passed as pointer and size (NUL included).
                string name = _module.StringLiteral(s.Text);
                VirtualRegister p = _fb.NewRegister(ValueKind.Ptr);
                _fb.Emit(new SymbolAddressInstruction(p, SymbolKind.Global, name));
                operands.Add(p);
                operands.Add(Operand.Of(System.Text.Encoding.UTF8.GetByteCount(s.Text) + 1));
                continue;
            }
            operands.Add(ArgumentOperand(args[k], paramType));
        }
        if (operands.Count > 5) throw Error(DiagnosticCatalog.TooManyArguments, m.DisplayName, operands.Count);
        return EmitCall(target, m.Signature.ReturnType, operands);
    }

    TypeModel ParameterType(MethodReference m, int index) =>
        m.IsStatic ? m.Signature.ParameterTypes[index] : index == 0 ? ThisType(m) : m.Signature.ParameterTypes[index - 1];

    Operand ArgumentOperand(StackValue value, TypeModel paramType)
    {
        if (value is StructValue sv && paramType is StructType)
        {
            StackSlot copy = _fb.Function.NewStackSlot(sv.StructType.Size, sv.StructType.Alignment, "arg");
            copy.ZeroInitialize = false; // every byte, padding included, is copied in below
            CopyMemory(Address.At(copy), sv.Source, sv.StructType.Size, sv.StructType.Alignment);
            return ((RegisterValue)Materialize(new AddressValue(Address.At(copy), paramType))).Register;
        }
        TypeModel scalar = paramType is EnumType e ? e.Underlying : paramType;
        ValueKind kind = scalar is ClassType ? ValueKind.Ptr : scalar.RegisterKind ?? ValueKind.I64;
        // Helpers see 64-bit registers: widen 32-bit arguments the way the C# parameter type says.
        if (kind == ValueKind.I32 && KindOfStack(value) == ValueKind.I32)
        {
            Operand o = ToOperand(value, ValueKind.I32);
            if (o.IsConstant) return Operand.Of(IsUnsigned(scalar) ? (uint)o.Constant : (int)o.Constant);
            VirtualRegister w = _fb.NewRegister(ValueKind.I64);
            _fb.Emit(new ExtendInstruction(w, o, 32, !IsUnsigned(scalar)));
            return w;
        }
        return ToOperand(value, kind == ValueKind.I32 ? ValueKind.I64 : kind);
    }

    StackValue? EmitCall(CallTarget target, TypeModel returnType, List<Operand> operands)
    {
        SpillLazyStructs();
        TypeModel scalar = returnType is EnumType e ? e.Underlying : returnType;
        VirtualRegister? d = scalar is PrimitiveType { Kind: PrimitiveKind.Void } ? null
            : _fb.NewRegister(scalar is ClassType ? ValueKind.Ptr : KindOf(scalar, "a return value"));
        _fb.Emit(new CallInstruction(target, d, operands));
        return d is null ? null : new RegisterValue(d, returnType);
    }

    // A struct value still read from memory must not see what the call writes there.
    void SpillLazyStructs()
    {
        for (int k = 0; k < _stack.Count; k++)
        {
            if (_stack[k] is not StructValue { Source.Slot: null } sv) continue;
            StackSlot copy = _fb.Function.NewStackSlot(sv.StructType.Size, sv.StructType.Alignment, "spill");
            copy.ZeroInitialize = false; // fully copied below
            CopyMemory(Address.At(copy), sv.Source, sv.StructType.Size, sv.StructType.Alignment);
            _stack[k] = new StructValue(Address.At(copy), sv.StructType);
        }
    }

    StackValue? SubprogramCall(MethodReference m, StackValue[] args)
    {
        if (args.Length > 5) throw Error(DiagnosticCatalog.TooManyArguments, m.DisplayName, args.Length);
        if (m.Signature.ReturnType is StructType)
            throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, $"a struct return value from the non-inlined {m.DisplayName} (return it through an `out` parameter)");
        for (InlineFrame? f = new(_method.Key, _method.DisplayName, _caller, 0); f is not null; f = f.Caller)
            if (f.Key == m.Key) throw Error(DiagnosticCatalog.Recursion, _method.DisplayName, $"{m.DisplayName} calls itself");
        string name = _module.Subprogram(m);
        var operands = new List<Operand>();
        for (int k = 0; k < args.Length; k++)
        {
            TypeModel p = ParameterType(m, k);
            operands.Add(p is StructType ? ArgumentOperand(args[k], p) : ToOperand(args[k], p is EnumType e ? e.Underlying.RegisterKind ?? ValueKind.I32 : p.RegisterKind ?? ValueKind.Ptr));
        }
        return EmitCall(new FunctionTarget(name), m.Signature.ReturnType, operands);
    }

    void NewObject(IlInstruction i)
    {
        MethodReference ctor = _module.Types.ResolveMethod(_assembly, i.Token, _method.Context);
        StackValue[] args = PopMany(ctor.Signature.ParameterTypes.Length);
        if (ctor.DeclaringType is StructType s)
        {
            StackSlot slot = _fb.Function.NewStackSlot(s.Size, s.Alignment, "new");
            var self = new AddressValue(Address.At(slot), _module.Types.ByRefTo(s));
            Invoke(ctor, [self, .. args], resultUnused: true, isVirtual: false);
            Push(new StructValue(Address.At(slot), s));
            return;
        }
        if (ctor.DeclaringType is PrimitiveType or EnumType)
        {
            Push(new ConstantValue(0, ctor.DeclaringType));
            return;
        }
        if (ctor.DeclaringTypeFullName.EndsWith("Exception", StringComparison.Ordinal))
        {
            Push(new ExceptionValue(ctor.DeclaringType.DisplayName, ctor.DeclaringType));
            return;
        }
        throw Error(DiagnosticCatalog.Allocation, Where, $"new {ctor.DeclaringType.DisplayName}");
    }

    void LoadFunction(IlInstruction i)
    {
        MethodReference m = _module.Types.ResolveMethod(_assembly, i.Token, _method.Context);
        if (!m.IsStatic || !m.HasDefinition)
            throw Error(DiagnosticCatalog.UnsupportedCall, Where, $"a pointer to {m.DisplayName} (only static methods with a body can be callbacks)");
        Push(new FunctionValue(m, _module.Types.PointerTo(_module.Types.Primitive(PrimitiveKind.Void), functionPointer: true)));
    }
}
