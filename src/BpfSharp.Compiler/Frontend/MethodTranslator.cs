using System.Collections.Immutable;
using System.Reflection.Metadata;
using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Emit;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

/// <summary>
/// Translates one method body from IL into IR at a <see cref="FunctionBuilder"/>'s insertion point: as the body
/// of a program or subprogram (its <c>ret</c> returns) or inlined into a caller (its <c>ret</c> continues there).
/// IL's stack becomes virtual registers; locals become registers, or stack slots when they are structs or their
/// address is taken.
/// </summary>
internal sealed partial class MethodTranslator
{
    const int MaxInlineDepth = 24;

    readonly ModuleContext _module;
    readonly FunctionBuilder _fb;
    readonly MethodReference _method;
    readonly LoadedAssembly _assembly;
    readonly MethodBodyBlock _body;
    readonly List<IlInstruction> _il;
    readonly SourceMap _sourceMap;
    readonly ImmutableArray<TypeModel> _localTypes;
    readonly TypeModel[] _argTypes;
    readonly object[] _locals;            // VirtualRegister or StackSlot per IL local
    readonly object?[] _args;             // StackValue (read-only binding), VirtualRegister or StackSlot per argument
    readonly Dictionary<int, BasicBlock> _blocks = [];
    readonly Dictionary<int, VirtualRegister[]> _entryStacks = [];
    readonly List<StackValue> _stack = [];
    int _position;                        // index in _il of the instruction being translated
    readonly InlineFrame? _caller;
    readonly bool _keepCallerSource;

    // Inlined bodies return into the caller through these.
    readonly BasicBlock? _continuation;
    VirtualRegister? _resultRegister;
    StackSlot? _resultSlot;

    /// <summary>The chain of methods being inlined, for recursion checks and messages.</summary>
    internal sealed record InlineFrame(string Key, string DisplayName, InlineFrame? Caller, int Depth);

    MethodTranslator(ModuleContext module, FunctionBuilder fb, MethodReference method, MethodBodyBlock body, InlineFrame? caller, BasicBlock? continuation)
    {
        _module = module;
        _fb = fb;
        _method = method;
        _assembly = method.Assembly!;
        _body = body;
        _caller = caller;
        _continuation = continuation;
        _il = IlReader.Decode(body.GetILReader());
        _keepCallerSource = caller is not null && _assembly.Name == TypeSystem.KernelAssemblyName;
        _sourceMap = _keepCallerSource ? SourceMap.Empty : SourceMap.For(_assembly, method.Definition);
        _localTypes = module.Types.DecodeLocals(_assembly, body.LocalSignature, method.Context);
        _argTypes = [.. (method.IsStatic ? [] : new[] { ThisType(method) }), .. method.Signature.ParameterTypes];
        _locals = new object[_localTypes.Length];
        _args = new object?[_argTypes.Length];
    }

    string Where => _caller is null ? _method.DisplayName : $"{_method.DisplayName} (inlined into {_caller.DisplayName})";

    TypeModel ThisType(MethodReference m) =>
        m.DeclaringType is StructType ? _module.Types.ByRefTo(m.DeclaringType) : m.DeclaringType;

    /// <summary>Translates a program's or subprogram's body into <paramref name="function"/>; parameters become its registers.</summary>
    public static void TranslateFunction(ModuleContext module, IrFunction function, MethodReference method, bool isProgram)
    {
        MethodBodyBlock body = module.Types.Main == null! ? throw new InvalidOperationException() : GetBody(module, method, null);
        var fb = new FunctionBuilder(function);
        var t = new MethodTranslator(module, fb, method, body, null, null);
        function.Source = t._sourceMap.First;
        fb.Source = function.Source;
        if (t._argTypes.Length > 5)
            throw t.Error(DiagnosticCatalog.TooManyArguments, method.DisplayName, t._argTypes.Length);
        var incoming = new StackValue[t._argTypes.Length];
        var names = ParameterNames(method);
        for (int i = 0; i < t._argTypes.Length; i++)
        {
            TypeModel type = t._argTypes[i];
            ValueKind kind = type is StructType ? ValueKind.Ptr : t.KindOf(type, "a parameter");
            VirtualRegister reg = fb.NewRegister(kind, i < names.Count ? names[i] : $"arg{i}");
            function.Parameters.Add(reg);
            // A struct passed by value arrives as a pointer to the caller's copy.
            incoming[i] = type is StructType s ? new StructValue(Address.At(reg), s) : new RegisterValue(reg, type);
        }
        TypeModel ret = method.Signature.ReturnType;
        function.ReturnKind = ret is PrimitiveType { Kind: PrimitiveKind.Void } ? null : ret is StructType
            ? throw t.Error(DiagnosticCatalog.UnsupportedInstruction, method.DisplayName, "a struct return value from a non-inlined method (return it through an `out` parameter)")
            : t.KindOf(ret, "the return value");
        function.Signature = new FunctionSignature(
            [.. t._argTypes.Select((type, i) => (i < names.Count ? names[i] : $"arg{i}", type))],
            function.ReturnKind is null ? null : ret);
        t.Run(incoming);
    }

    static List<string> ParameterNames(MethodReference method)
    {
        var names = new List<string>();
        if (!method.IsStatic) names.Add("self");
        if (!method.HasDefinition) return names;
        MetadataReader reader = method.Assembly!.Reader;
        var byIndex = new Dictionary<int, string>();
        foreach (ParameterHandle ph in reader.GetMethodDefinition(method.Definition).GetParameters())
        {
            Parameter p = reader.GetParameter(ph);
            if (p.SequenceNumber > 0) byIndex[p.SequenceNumber] = CIdentifier.From(reader.GetString(p.Name));
        }
        for (int i = 1; i <= method.Signature.ParameterTypes.Length; i++)
            names.Add(byIndex.TryGetValue(i, out string? n) ? n : $"arg{i}");
        return names;
    }

    static MethodBodyBlock GetBody(ModuleContext module, MethodReference method, InlineFrame? caller, SourceLocation? callSite = null)
    {
        if (!method.HasDefinition || method.Assembly!.GetBody(method.Definition) is not { } body)
            throw new CompilationErrorException(Diagnostic.Create(DiagnosticCatalog.MethodBodyMissing, callSite, caller?.DisplayName ?? method.DisplayName, method.DisplayName));
        return body;
    }

    /// <summary>Inlines <paramref name="method"/> with <paramref name="args"/>; returns its result (null for void).</summary>
    StackValue? Inline(MethodReference method, StackValue[] args)
    {
        InlineFrame frame = new(_method.Key, _method.DisplayName, _caller, (_caller?.Depth ?? 0) + 1);
        for (InlineFrame? f = frame; f is not null; f = f.Caller)
            if (f.Key == method.Key) throw Error(DiagnosticCatalog.Recursion, _method.DisplayName, $"{method.DisplayName} calls itself");
        if (frame.Depth > MaxInlineDepth) throw Error(DiagnosticCatalog.Recursion, _method.DisplayName, $"inlining deeper than {MaxInlineDepth} calls at {method.DisplayName}");
        MethodBodyBlock body = GetBody(_module, method, frame, _fb.Source);
        BasicBlock continuation = _fb.Function.NewBlock();
        var t = new MethodTranslator(_module, _fb, method, body, frame, continuation);
        SourceLocation? saved = _fb.Source;
        t.Run(args);
        _fb.Current = continuation;
        _fb.Source = saved;
        if (t._resultSlot is { } slot) return new StructValue(Address.At(slot), (StructType)method.Signature.ReturnType);
        return t._resultRegister is { } r ? new RegisterValue(r, method.Signature.ReturnType) : null;
    }

    void Run(StackValue[] incoming)
    {
        if (_body.ExceptionRegions.Length > 0)
            throw Error(DiagnosticCatalog.ExceptionHandling, Where, "try/catch/finally");
        FindBlocks();
        BindArguments(incoming);
        DeclareLocals();
        TranslateInstructions();
    }

    // Arguments that the body never stores to or takes the address of are used as the caller gave them
    // (constants, addresses and maps stay symbolic through inlining); the others get a local copy.
    void BindArguments(StackValue[] incoming)
    {
        var written = new HashSet<int>();
        var addressTaken = new HashSet<int>();
        foreach (IlInstruction i in _il)
        {
            if (i.OpCode is ILOpCode.Starg) written.Add((int)i.Operand);
            else if (i.OpCode is ILOpCode.Ldarga) addressTaken.Add((int)i.Operand);
        }
        for (int i = 0; i < _argTypes.Length; i++)
        {
            StackValue value = incoming[i];
            if (!written.Contains(i) && !addressTaken.Contains(i)) { _args[i] = value; continue; }
            _args[i] = NewLocal(_argTypes[i], $"arg{i}", addressTaken.Contains(i));
            StoreLocal(_args[i]!, _argTypes[i], value);
        }
    }

    void DeclareLocals()
    {
        var addressTaken = new HashSet<int>();
        foreach (IlInstruction i in _il)
            if (i.OpCode is ILOpCode.Ldloca or ILOpCode.Ldloca_s) addressTaken.Add((int)i.Operand);
        for (int i = 0; i < _localTypes.Length; i++)
            _locals[i] = NewLocal(_localTypes[i], $"loc{i}", addressTaken.Contains(i));
    }

    object NewLocal(TypeModel type, string name, bool addressTaken = false)
    {
        if (type is StructType || addressTaken)
        {
            int size = Math.Max(1, type.Size);
            return _fb.Function.NewStackSlot(size, Math.Max(1, type.Alignment), name);
        }
        if (type is ClassType { KernelName: null } c && c.DisplayName != "object")
            return _fb.NewRegister(ValueKind.Ptr, name); // rejected when used; unused locals of odd types are harmless
        VirtualRegister reg = _fb.NewRegister(type.RegisterKind ?? ValueKind.I64, name);
        _fb.Emit(new MoveInstruction(reg, Operand.Of(0))); // C# zeroes locals; dead when overwritten first
        return reg;
    }

    void FindBlocks()
    {
        var leaders = new SortedSet<int> { 0 };
        foreach (IlInstruction i in _il)
        {
            if (IsBranch(i.OpCode)) { leaders.Add(i.Target); leaders.Add(i.Next); }
            else if (i.Targets is { } ts) { foreach (int t in ts) leaders.Add(t); leaders.Add(i.Next); }
            else if (i.OpCode is ILOpCode.Ret or ILOpCode.Throw) leaders.Add(i.Next);
        }
        int end = _il.Count == 0 ? 0 : _il[^1].Next;
        foreach (int offset in leaders)
            if (offset < end) _blocks[offset] = _fb.Function.NewBlock();
    }

    static bool IsBranch(ILOpCode op) => op is ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge
        or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un
        or ILOpCode.Ble_un or ILOpCode.Blt_un or ILOpCode.Leave;

    void TranslateInstructions()
    {
        _fb.ContinueIn(_blocks[0]);
        for (_position = 0; _position < _il.Count; _position++)
        {
            IlInstruction i = _il[_position];
            if (i.Offset != 0 && _blocks.TryGetValue(i.Offset, out BasicBlock? leader))
            {
                if (!_fb.IsTerminated) TransferTo(i.Offset);
                _fb.Current = leader;
                _stack.Clear();
                if (_entryStacks.TryGetValue(i.Offset, out VirtualRegister[]? entry))
                    _stack.AddRange(entry.Select(r => (StackValue)new RegisterValue(r, KindType(r.Kind))));
            }
            if (!_keepCallerSource && _sourceMap.StartingAt(i.Offset) is { } loc) _fb.Source = loc;
            else if (!_keepCallerSource && _fb.Source is null) _fb.Source = _sourceMap.At(i.Offset);
            Translate(i);
        }
        if (!_fb.IsTerminated) _fb.Terminate(new AbortTerminator("fell off the end of the method"));
        foreach (BasicBlock block in _blocks.Values)
            block.Terminator ??= new AbortTerminator("unreachable"); // a leader no path reaches (dead code after a throw)
    }

    TypeModel KindType(ValueKind kind) => kind switch
    {
        ValueKind.I32 => _module.Types.Primitive(PrimitiveKind.Int32),
        ValueKind.I64 => _module.Types.Primitive(PrimitiveKind.Int64),
        _ => _module.Types.PointerTo(_module.Types.Primitive(PrimitiveKind.Byte)),
    };

    /// <summary>Ends the current block with a jump to the block at <paramref name="ilOffset"/>, handing over the stack.</summary>
    void TransferTo(int ilOffset)
    {
        MoveStackTo(ilOffset);
        _fb.Terminate(new JumpTerminator(_blocks[ilOffset]));
    }

    // Values left on the stack at a block boundary go into the target's canonical entry registers.
    void MoveStackTo(int ilOffset)
    {
        if (_stack.Count == 0) return;
        if (!_entryStacks.TryGetValue(ilOffset, out VirtualRegister[]? entry))
        {
            entry = [.. _stack.Select(v => _fb.NewRegister(v is ComparisonValue ? ValueKind.I32 : v.Type is StructType ? ValueKind.Ptr : KindOf(v.Type, "a value")))];
            _entryStacks[ilOffset] = entry;
        }
        if (entry.Length != _stack.Count)
            throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, "inconsistent IL stack depths at a branch target");
        Operand[] values = [.. _stack.Select((v, i) => ToOperand(v, entry[i].Kind))];
        for (int i = 0; i < entry.Length; i++) _fb.Emit(new MoveInstruction(entry[i], values[i]));
    }

    BasicBlock BranchTarget(int ilOffset)
    {
        if (_stack.Count == 0) return _blocks[ilOffset];
        // Values cross the edge: move them on a block of its own so the other edge does not see the moves.
        BasicBlock edge = _fb.Function.NewBlock();
        BasicBlock saved = _fb.Current;
        _fb.Current = edge;
        MoveStackTo(ilOffset);
        _fb.Terminate(new JumpTerminator(_blocks[ilOffset]));
        _fb.Current = saved;
        return edge;
    }

    CompilationErrorException Error(DiagnosticDescriptor descriptor, params object?[] args) =>
        new(Diagnostic.Create(descriptor, _fb.Source, args));

    ValueKind KindOf(TypeModel type, string what)
    {
        if (type is PrimitiveType { IsFloatingPoint: true })
            throw Error(DiagnosticCatalog.FloatingPoint, Where, $"{what} of type {type.DisplayName}");
        if (type is ClassType { KernelName: null } c)
            throw Error(c.DisplayName == "string" ? DiagnosticCatalog.StringUse : DiagnosticCatalog.ManagedReference, Where, c.DisplayName);
        return type.RegisterKind ?? throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, $"{what} of type {type.DisplayName} in a register");
    }

    StackValue Pop()
    {
        if (_stack.Count == 0) throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, "an IL stack underflow");
        StackValue v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    void Push(StackValue value) => _stack.Add(value);

    StackValue[] PopMany(int count)
    {
        var values = new StackValue[count];
        for (int i = count - 1; i >= 0; i--) values[i] = Pop();
        return values;
    }
}
