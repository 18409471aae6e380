using System.Reflection.Metadata;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

// Fields, statics (maps and globals), indirect loads and stores, stackalloc and block operations.
internal sealed partial class MethodTranslator
{
    void LoadIndirect(PrimitiveKind kind)
    {
        StackValue pointer = Pop();
        TypeModel type = pointer.Type switch
        {
            PointerType { Element: var e } when e.Size == _module.Types.Primitive(kind).Size && e is not StructType => e,
            ByRefType { Element: var e } when e.Size == _module.Types.Primitive(kind).Size && e is not StructType => e,
            _ => _module.Types.Primitive(kind),
        };
        if (kind == PrimitiveKind.IntPtr && type is PrimitiveType { Kind: PrimitiveKind.IntPtr } && pointer.Type is PointerType { Element: PointerType inner })
            type = inner;
        Push(LoadFrom(AddressOf(pointer), type));
    }

    void StoreIndirect(PrimitiveKind kind)
    {
        StackValue value = Pop(), pointer = Pop();
        StoreTo(AddressOf(pointer), _module.Types.Primitive(kind), value);
    }

    FieldReference Field(EntityHandle token) => _module.Types.ResolveField(_assembly, token, _method.Context);

    void LoadField(EntityHandle token)
    {
        FieldReference f = Field(token);
        StackValue owner = Pop();
        if (f.IsStatic) { LoadStatic(f); return; }
        Push(LoadFrom(FieldAddress(owner, f), f.Type));
    }

    void AddressOfField(EntityHandle token)
    {
        FieldReference f = Field(token);
        StackValue owner = Pop();
        Push(new AddressValue(FieldAddress(owner, f), _module.Types.ByRefTo(f.Type)));
    }

    void StoreField(EntityHandle token)
    {
        FieldReference f = Field(token);
        StackValue value = Pop(), owner = Pop();
        StoreTo(FieldAddress(owner, f), f.Type, value);
    }

    Address FieldAddress(StackValue owner, FieldReference f)
    {
        if (f.DeclaringType is ClassType c)
            throw Error(DiagnosticCatalog.ManagedReference, Where, $"{c.DisplayName} (field {f.Name})");
        Address address = AddressOf(owner).WithOffset(f.Offset);
        if (address.Offset is > short.MaxValue or < short.MinValue)
            throw Error(DiagnosticCatalog.OffsetOutOfRange, Where, address.Offset);
        return address;
    }

    void LoadStaticField(EntityHandle token) => LoadStatic(Field(token));

    void LoadStatic(FieldReference f)
    {
        string key = f.DeclaringTypeFullName + "." + f.Name;
        if (_module.MapFields.TryGetValue(key, out string? map)) { Push(new MapValue(map, f.Type)); return; }
        Push(LoadFrom(GlobalAddress(f), f.Type));
    }

    void AddressOfStaticField(EntityHandle token)
    {
        FieldReference f = Field(token);
        if (_module.MapFields.ContainsKey(f.DeclaringTypeFullName + "." + f.Name))
            throw Error(DiagnosticCatalog.BadMapField, f.Name, "a map field's address cannot be taken (pass the map itself)");
        Push(new AddressValue(GlobalAddress(f), _module.Types.ByRefTo(f.Type)));
    }

    void StoreStaticField(EntityHandle token)
    {
        FieldReference f = Field(token);
        StackValue value = Pop();
        string key = f.DeclaringTypeFullName + "." + f.Name;
        if (_module.MapFields.ContainsKey(key))
            throw Error(DiagnosticCatalog.BadMapField, f.Name, "a map field cannot be assigned in a program");
        if (_module.Globals.TryGetValue(key, out GlobalVariable? g) && g.Section == GlobalSection.ReadOnly)
            throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, $"a store to the static readonly field {f.Name} (it lives in read-only .rodata)");
        StoreTo(GlobalAddress(f), f.Type, value);
    }

    Address GlobalAddress(FieldReference f)
    {
        string key = f.DeclaringTypeFullName + "." + f.Name;
        if (!_module.Globals.TryGetValue(key, out GlobalVariable? g))
            throw Error(DiagnosticCatalog.UnsupportedCall, Where, $"the static field {f.DisplayName} (only the module's own static fields are globals)");
        VirtualRegister r = _fb.NewRegister(ValueKind.Ptr, g.Name);
        _fb.Emit(new SymbolAddressInstruction(r, SymbolKind.Global, g.Name));
        return Address.At(r);
    }

    void StackAlloc()
    {
        StackValue size = Pop();
        if (size is not ConstantValue { Value: > 0 and <= 512 } c)
            throw Error(DiagnosticCatalog.UnboundedStackalloc, Where);
        StackSlot slot = _fb.Function.NewStackSlot((int)c.Value, 8, "stackalloc");
        Push(new AddressValue(Address.At(slot), _module.Types.PointerTo(_module.Types.Primitive(PrimitiveKind.Byte))));
    }

    void InitBlock()
    {
        StackValue size = Pop(), value = Pop(), address = Pop();
        if (size is not ConstantValue { Value: >= 0 and <= 4096 } n || value is not ConstantValue { Value: 0 })
            throw Error(DiagnosticCatalog.NonConstantArgument, Where, "size and value", "initblk (Unsafe.InitBlock); only zero fill of a constant size is supported");
        ZeroFill(AddressOf(address), (int)n.Value);
    }

    void CopyBlock()
    {
        StackValue size = Pop(), source = Pop(), destination = Pop();
        if (size is not ConstantValue { Value: >= 0 and <= 4096 } n)
            throw Error(DiagnosticCatalog.NonConstantArgument, Where, "size", "cpblk (Unsafe.CopyBlock)");
        CopyMemory(AddressOf(destination), AddressOf(source), (int)n.Value, 1);
    }
}
