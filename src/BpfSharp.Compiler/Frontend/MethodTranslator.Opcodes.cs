using System.Reflection.Metadata;
using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

// One case per IL operation (short forms were normalised by IlReader).
internal sealed partial class MethodTranslator
{
    TypeModel Int32 => _module.Types.Primitive(PrimitiveKind.Int32);
    TypeModel Int64 => _module.Types.Primitive(PrimitiveKind.Int64);
    TypeModel NativeInt => _module.Types.Primitive(PrimitiveKind.IntPtr);
    TypeModel Bool => _module.Types.Primitive(PrimitiveKind.Bool);

    void Translate(IlInstruction i)
    {
        switch (i.OpCode)
        {
            case ILOpCode.Nop or ILOpCode.Break: break;

            // ---- arguments and locals ----
            case ILOpCode.Ldarg_0 or ILOpCode.Ldarg_1 or ILOpCode.Ldarg_2 or ILOpCode.Ldarg_3:
                LoadArgument(i.OpCode - ILOpCode.Ldarg_0); break;
            case ILOpCode.Ldarg: LoadArgument((int)i.Operand); break;
            case ILOpCode.Ldarga: Push(AddressOfLocal(_args[(int)i.Operand]!, _argTypes[(int)i.Operand])); break;
            case ILOpCode.Starg: StoreLocal(_args[(int)i.Operand]!, _argTypes[(int)i.Operand], Pop()); break;
            case ILOpCode.Ldloc_0 or ILOpCode.Ldloc_1 or ILOpCode.Ldloc_2 or ILOpCode.Ldloc_3:
                LoadLocal(i.OpCode - ILOpCode.Ldloc_0); break;
            case ILOpCode.Ldloc: LoadLocal((int)i.Operand); break;
            case ILOpCode.Ldloca: Push(AddressOfLocal(_locals[(int)i.Operand], _localTypes[(int)i.Operand])); break;
            case ILOpCode.Stloc_0 or ILOpCode.Stloc_1 or ILOpCode.Stloc_2 or ILOpCode.Stloc_3:
                StoreLocal(_locals[i.OpCode - ILOpCode.Stloc_0], _localTypes[i.OpCode - ILOpCode.Stloc_0], Pop()); break;
            case ILOpCode.Stloc: StoreLocal(_locals[(int)i.Operand], _localTypes[(int)i.Operand], Pop()); break;

            // ---- constants and the stack ----
            case ILOpCode.Ldnull: Push(new ConstantValue(0, NativeInt)); break;
            case >= ILOpCode.Ldc_i4_m1 and <= ILOpCode.Ldc_i4_8: Push(new ConstantValue((int)i.OpCode - (int)ILOpCode.Ldc_i4_0, Int32)); break;
            case ILOpCode.Ldc_i4: Push(new ConstantValue((int)i.Operand, Int32)); break;
            case ILOpCode.Ldc_i8: Push(new ConstantValue(i.Operand, Int64)); break;
            case ILOpCode.Ldc_r4 or ILOpCode.Ldc_r8: throw Error(DiagnosticCatalog.FloatingPoint, Where, "a floating-point constant");
            case ILOpCode.Dup:
            {
                StackValue v = Pop();
                if (v is ComparisonValue) v = Materialize(v);
                Push(v); Push(v);
                break;
            }
            case ILOpCode.Pop: Pop(); break;
            case ILOpCode.Ldstr:
                Push(new StringValue(_assembly.Reader.GetUserString(System.Reflection.Metadata.Ecma335.MetadataTokens.UserStringHandle((int)i.Operand)), _module.Types.Unknown("string")));
                break;

            // ---- arithmetic ----
            case ILOpCode.Add: Binary(BinaryOp.Add); break;
            case ILOpCode.Sub: Binary(BinaryOp.Sub); break;
            case ILOpCode.Mul: Binary(BinaryOp.Mul); break;
            case ILOpCode.Div: Division(BinaryOp.SDiv); break;
            case ILOpCode.Div_un: Division(BinaryOp.UDiv); break;
            case ILOpCode.Rem: Division(BinaryOp.SMod); break;
            case ILOpCode.Rem_un: Division(BinaryOp.UMod); break;
            case ILOpCode.And: Binary(BinaryOp.And); break;
            case ILOpCode.Or: Binary(BinaryOp.Or); break;
            case ILOpCode.Xor: Binary(BinaryOp.Xor); break;
            case ILOpCode.Shl: Shift(BinaryOp.Shl); break;
            case ILOpCode.Shr: Shift(BinaryOp.AShr); break;
            case ILOpCode.Shr_un: Shift(BinaryOp.LShr); break;
            case ILOpCode.Neg: Unary(UnaryOp.Neg); break;
            case ILOpCode.Not: Unary(UnaryOp.Not); break;
            case ILOpCode.Add_ovf or ILOpCode.Add_ovf_un or ILOpCode.Sub_ovf or ILOpCode.Sub_ovf_un or ILOpCode.Mul_ovf or ILOpCode.Mul_ovf_un:
                CheckedArithmetic(i.OpCode); break;

            // ---- conversions ----
            case ILOpCode.Conv_i1: Convert(8, true); break;
            case ILOpCode.Conv_u1: Convert(8, false); break;
            case ILOpCode.Conv_i2: Convert(16, true); break;
            case ILOpCode.Conv_u2: Convert(16, false); break;
            case ILOpCode.Conv_i4 or ILOpCode.Conv_u4: Convert(32, i.OpCode == ILOpCode.Conv_i4); break;
            case ILOpCode.Conv_i8 or ILOpCode.Conv_i: Convert(64, true); break;
            case ILOpCode.Conv_u8 or ILOpCode.Conv_u: Convert(64, false); break;
            case >= ILOpCode.Conv_ovf_i1_un and <= ILOpCode.Conv_ovf_u_un:
            case >= ILOpCode.Conv_ovf_i1 and <= ILOpCode.Conv_ovf_u8:
            case ILOpCode.Conv_ovf_i or ILOpCode.Conv_ovf_u:
                CheckedConvert(i.OpCode); break;
            case ILOpCode.Conv_r4 or ILOpCode.Conv_r8 or ILOpCode.Conv_r_un or ILOpCode.Ckfinite:
                throw Error(DiagnosticCatalog.FloatingPoint, Where, "a conversion to floating point");

            // ---- comparisons and branches ----
            case ILOpCode.Ceq: Compare(Condition.Equal); break;
            case ILOpCode.Cgt: Compare(Condition.SignedGreater); break;
            case ILOpCode.Cgt_un: Compare(Condition.UnsignedGreater); break;
            case ILOpCode.Clt: Compare(Condition.SignedLess); break;
            case ILOpCode.Clt_un: Compare(Condition.UnsignedLess); break;
            case ILOpCode.Br or ILOpCode.Leave: TransferTo(i.Target); break;
            case ILOpCode.Brtrue: BranchOnValue(Pop(), true, i); break;
            case ILOpCode.Brfalse: BranchOnValue(Pop(), false, i); break;
            case ILOpCode.Beq: BranchCompare(Condition.Equal, i); break;
            case ILOpCode.Bne_un: BranchCompare(Condition.NotEqual, i); break;
            case ILOpCode.Bge: BranchCompare(Condition.SignedGreaterOrEqual, i); break;
            case ILOpCode.Bgt: BranchCompare(Condition.SignedGreater, i); break;
            case ILOpCode.Ble: BranchCompare(Condition.SignedLessOrEqual, i); break;
            case ILOpCode.Blt: BranchCompare(Condition.SignedLess, i); break;
            case ILOpCode.Bge_un: BranchCompare(Condition.UnsignedGreaterOrEqual, i); break;
            case ILOpCode.Bgt_un: BranchCompare(Condition.UnsignedGreater, i); break;
            case ILOpCode.Ble_un: BranchCompare(Condition.UnsignedLessOrEqual, i); break;
            case ILOpCode.Blt_un: BranchCompare(Condition.UnsignedLess, i); break;
            case ILOpCode.Switch: Switch(i); break;
            case ILOpCode.Ret: Return(); break;
            case ILOpCode.Throw:
            {
                StackValue e = Pop();
                _fb.Terminate(new AbortTerminator(e is ExceptionValue ex ? ex.ExceptionType : "an exception"));
                break;
            }

            // ---- memory ----
            case ILOpCode.Ldind_i1: LoadIndirect(PrimitiveKind.SByte); break;
            case ILOpCode.Ldind_u1: LoadIndirect(PrimitiveKind.Byte); break;
            case ILOpCode.Ldind_i2: LoadIndirect(PrimitiveKind.Int16); break;
            case ILOpCode.Ldind_u2: LoadIndirect(PrimitiveKind.UInt16); break;
            case ILOpCode.Ldind_i4: LoadIndirect(PrimitiveKind.Int32); break;
            case ILOpCode.Ldind_u4: LoadIndirect(PrimitiveKind.UInt32); break;
            case ILOpCode.Ldind_i8: LoadIndirect(PrimitiveKind.Int64); break;
            case ILOpCode.Ldind_i: LoadIndirect(PrimitiveKind.IntPtr); break;
            case ILOpCode.Ldind_ref: LoadIndirect(PrimitiveKind.IntPtr); break;
            case ILOpCode.Ldind_r4 or ILOpCode.Ldind_r8 or ILOpCode.Stind_r4 or ILOpCode.Stind_r8:
                throw Error(DiagnosticCatalog.FloatingPoint, Where, "a floating-point load or store");
            case ILOpCode.Stind_i1: StoreIndirect(PrimitiveKind.Byte); break;
            case ILOpCode.Stind_i2: StoreIndirect(PrimitiveKind.UInt16); break;
            case ILOpCode.Stind_i4: StoreIndirect(PrimitiveKind.UInt32); break;
            case ILOpCode.Stind_i8: StoreIndirect(PrimitiveKind.UInt64); break;
            case ILOpCode.Stind_i or ILOpCode.Stind_ref: StoreIndirect(PrimitiveKind.UIntPtr); break;
            case ILOpCode.Ldobj: { TypeModel t = TokenType(i.Token); Push(LoadFrom(AddressOf(Pop()), t)); break; }
            case ILOpCode.Stobj: { TypeModel t = TokenType(i.Token); StackValue v = Pop(); StoreTo(AddressOf(Pop()), t, v); break; }
            case ILOpCode.Cpobj: { TypeModel t = TokenType(i.Token); StackValue src = Pop(); StoreTo(AddressOf(Pop()), t, LoadFrom(AddressOf(src), t)); break; }
            case ILOpCode.Initobj: ZeroFill(AddressOf(Pop()), TokenType(i.Token).Size); break;
            case ILOpCode.Sizeof: Push(new ConstantValue(TokenType(i.Token).Size, Int32)); break;
            case ILOpCode.Ldfld: LoadField(i.Token); break;
            case ILOpCode.Ldflda: AddressOfField(i.Token); break;
            case ILOpCode.Stfld: StoreField(i.Token); break;
            case ILOpCode.Ldsfld: LoadStaticField(i.Token); break;
            case ILOpCode.Ldsflda: AddressOfStaticField(i.Token); break;
            case ILOpCode.Stsfld: StoreStaticField(i.Token); break;
            case ILOpCode.Localloc: StackAlloc(); break;
            case ILOpCode.Initblk: InitBlock(); break;
            case ILOpCode.Cpblk: CopyBlock(); break;

            // ---- calls and objects ----
            case ILOpCode.Call or ILOpCode.Callvirt: Call(i); break;
            case ILOpCode.Newobj: NewObject(i); break;
            case ILOpCode.Ldftn: LoadFunction(i); break;
            case ILOpCode.Calli: throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, "a call through a function pointer (calli)");
            case ILOpCode.Ldvirtftn: throw Error(DiagnosticCatalog.VirtualCall, Where, "a virtual function pointer");
            case ILOpCode.Box or ILOpCode.Unbox or ILOpCode.Unbox_any:
                throw Error(DiagnosticCatalog.Allocation, Where, "boxing a value");
            case ILOpCode.Newarr: throw Error(DiagnosticCatalog.Allocation, Where, "a new array");
            case ILOpCode.Ldlen or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or (>= ILOpCode.Ldelem_i1 and <= ILOpCode.Stelem_ref):
                throw Error(DiagnosticCatalog.ManagedReference, Where, "an array");
            case ILOpCode.Castclass or ILOpCode.Isinst:
                throw Error(DiagnosticCatalog.ManagedReference, Where, "a type test or cast of an object");
            case ILOpCode.Ldtoken: throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, "ldtoken (typeof or a field's RVA data)");
            case ILOpCode.Endfinally or ILOpCode.Endfilter or ILOpCode.Rethrow:
                throw Error(DiagnosticCatalog.ExceptionHandling, Where, "exception handling");
            default:
                throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, $"the IL instruction {i.OpCode.ToString().ToLowerInvariant().Replace('_', '.')}");
        }
    }

    TypeModel TokenType(EntityHandle token) => _module.Types.ResolveType(_assembly, token, _method.Context);

    void LoadArgument(int index)
    {
        object? a = _args[index];
        if (a is StackValue v) { Push(v is RegisterValue r ? Copy(r) : v); return; }
        Push(ReadLocal(a!, _argTypes[index]));
    }

    void LoadLocal(int index) => Push(ReadLocal(_locals[index], _localTypes[index]));

    // A local's current value. Registers are copied: the local may be stored to before the value is used (x++).
    StackValue ReadLocal(object local, TypeModel type) => local switch
    {
        VirtualRegister r => Copy(new RegisterValue(r, type)),
        StackSlot s => LoadFrom(Address.At(s), type),
        _ => throw new InvalidOperationException(),
    };

    RegisterValue Copy(RegisterValue r)
    {
        VirtualRegister copy = _fb.NewRegister(r.Register.Kind);
        _fb.Emit(new MoveInstruction(copy, r.Register));
        return new RegisterValue(copy, r.Type);
    }

    void StoreLocal(object local, TypeModel type, StackValue value)
    {
        switch (local)
        {
            case VirtualRegister r:
                _fb.Emit(new MoveInstruction(r, ToOperand(value, r.Kind)));
                break;
            case StackSlot s:
                StoreTo(Address.At(s), type, value);
                break;
        }
    }

    StackValue AddressOfLocal(object local, TypeModel type) => local switch
    {
        StackSlot s => new AddressValue(Address.At(s), _module.Types.ByRefTo(type)),
        // A bound (never written) argument holding an address already: `ldarga` of a by-value struct argument.
        StructValue sv => new AddressValue(sv.Source, _module.Types.ByRefTo(type)),
        _ => throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, "the address of a register local"),
    };
}
