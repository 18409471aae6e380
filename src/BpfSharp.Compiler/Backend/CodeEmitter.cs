using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>
/// Turns allocated machine code into final instructions: registers substituted, frame offsets filled in,
/// copies between one register dropped, empty blocks threaded, blocks laid out so that most branches fall
/// through, and jumps resolved to offsets.
/// </summary>
internal sealed class CodeEmitter
{
    readonly MachineFunction _function;
    readonly int[] _color;
    readonly FrameLayout _frame;
    readonly List<Instruction>[] _body;
    readonly List<Instruction> _output = [];
    readonly List<(int Index, int Block)> _fixups = [];

    CodeEmitter(MachineFunction function, int[] color, FrameLayout frame)
    {
        _function = function;
        _color = color;
        _frame = frame;
        _body = new List<Instruction>[function.Blocks.Count];
    }

    public static Instruction[] Emit(MachineFunction function, int[] color, FrameLayout frame) =>
        new CodeEmitter(function, color, frame).Run();

    Instruction[] Run()
    {
        foreach (MachineBlock block in _function.Blocks) _body[block.Index] = [.. block.Code.Select(Lower).OfType<Instruction>()];
        List<int> order = Layout();
        var start = new int[_function.Blocks.Count];
        for (int i = 0; i < order.Count; i++)
        {
            int b = order[i];
            start[b] = _output.Count;
            _output.AddRange(_body[b]);
            EmitTerminator(_function.Blocks[b].Terminator, i + 1 < order.Count ? order[i + 1] : -1);
        }

        Instruction[] program = [.. _output];
        int[] positions = InstructionList.SlotPositions(program);
        foreach (var (index, block) in _fixups)
            program[index] = program[index].WithRelativeTarget(positions[start[block]] - (positions[index] + 1));
        program[0] = program[0].WithSymbol(_function.Source.Name);
        return program;
    }

    Instruction? Lower(MachineInstruction m)
    {
        if (m.IsCopy && _color[m.Dst] == _color[m.Src]) return null;
        Instruction i = m.Template;
        if (m.Dst >= 0) i = i with { Dst = (Register)_color[m.Dst] };
        if (m.Src >= 0) i = i with { Src = (Register)_color[m.Src] };
        if (m.Slot is { } slot)
        {
            int offset = _frame.OffsetOf(slot);
            if (m.SlotField == SlotField.Immediate) i = i with { Constant = i.Immediate + offset };
            else
            {
                int total = i.Offset + offset;
                if (total is < short.MinValue or > short.MaxValue)
                    throw new CompilationErrorException(Diagnostic.Create(DiagnosticCatalog.OffsetOutOfRange, m.Source, _function.Source.Name, total));
                i = i with { Offset = (short)total };
            }
        }
        return i.WithSource(m.Source);
    }

    /// <summary>Where control really goes when it enters <paramref name="block"/>: past blocks that emit nothing and just jump.</summary>
    int Forward(int block)
    {
        var seen = new HashSet<int>();
        while (_body[block].Count == 0 && _function.Blocks[block].Terminator is { Kind: TerminatorKind.Jump } j && seen.Add(block))
            block = j.Target;
        return block;
    }

    List<int> Layout()
    {
        foreach (MachineBlock block in _function.Blocks)
        {
            MachineTerminator t = block.Terminator;
            if (t.Kind == TerminatorKind.Exit) continue;
            t.Target = Forward(t.Target);
            if (t.Kind == TerminatorKind.Branch) t.FalseTarget = Forward(t.FalseTarget);
        }

        var placed = new bool[_function.Blocks.Count];
        var order = new List<int>();
        var reachable = Reachable();
        int next = 0;
        while (true)
        {
            int b = next;
            if (b < 0)
            {
                b = Enumerable.Range(0, placed.Length).FirstOrDefault(i => reachable[i] && !placed[i], -1);
                if (b < 0) break;
            }
            placed[b] = true;
            order.Add(b);
            MachineTerminator t = _function.Blocks[b].Terminator;
            next = t.Kind switch
            {
                TerminatorKind.Jump => placed[t.Target] ? -1 : t.Target,
                TerminatorKind.Branch => !placed[t.FalseTarget] ? t.FalseTarget : !placed[t.Target] ? t.Target : -1,
                _ => -1,
            };
        }
        return order;
    }

    bool[] Reachable()
    {
        var reachable = new bool[_function.Blocks.Count];
        var work = new Stack<int>([0]);
        while (work.Count > 0)
        {
            int b = work.Pop();
            if (reachable[b]) continue;
            reachable[b] = true;
            foreach (int s in _function.Blocks[b].Terminator.Successors) work.Push(s);
        }
        return reachable;
    }

    void EmitTerminator(MachineTerminator t, int next)
    {
        switch (t.Kind)
        {
            case TerminatorKind.Exit:
                _output.Add(Instruction.Exit().WithSource(t.Source));
                break;
            case TerminatorKind.Jump:
                Goto(t.Target, next, t.Source);
                break;
            default:
                if (t.Target == t.FalseTarget) { Goto(t.Target, next, t.Source); break; }
                if (t.FalseTarget == next) { Branch(t, t.Condition, t.Target); break; }
                if (t.Target == next && Conditions.Negated(t.Condition) is { } negated) { Branch(t, negated, t.FalseTarget); break; }
                Branch(t, t.Condition, t.Target);
                Goto(t.FalseTarget, next, t.Source);
                break;
        }
    }

    void Goto(int target, int next, SourceLocation? source)
    {
        if (target == next) return;
        _fixups.Add((_output.Count, target));
        _output.Add(Instruction.Ja(0).WithSource(source));
    }

    void Branch(MachineTerminator t, Condition condition, int target)
    {
        JumpOp op = Conditions.ToJumpOp(condition);
        Register left = (Register)_color[t.Left];
        Instruction jump = t.Right == MachineRegister.None
            ? t.Is32 ? Instruction.Jump32(op, left, t.Immediate, 0) : Instruction.Jump(op, left, t.Immediate, 0)
            : t.Is32 ? Instruction.Jump32(op, left, (Register)_color[t.Right], 0) : Instruction.Jump(op, left, (Register)_color[t.Right], 0);
        _fixups.Add((_output.Count, target));
        _output.Add(jump.WithSource(t.Source));
    }
}
