using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

internal sealed partial class InstructionSelector
{
    /// <summary>The kfunc a subprogram calls to unwind to the program with a return code (kernel 6.7+).</summary>
    public const string ThrowKfunc = "bpf_throw";

    MachineTerminator Select(Terminator terminator) => terminator switch
    {
        JumpTerminator j => Jump(_blockIndex[j.Target]),
        BranchTerminator b => SelectBranch(b),
        ReturnTerminator r => SelectReturn(r),
        AbortTerminator => SelectAbort(),
        _ => throw new ArgumentException($"The backend does not know terminator '{terminator}'."),
    };

    MachineTerminator Jump(int target) => new() { Kind = TerminatorKind.Jump, Target = target, Source = _source };

    MachineTerminator SelectBranch(BranchTerminator branch)
    {
        int whenTrue = _blockIndex[branch.WhenTrue], whenFalse = _blockIndex[branch.WhenFalse];
        Operand left = branch.Left, right = branch.Right;
        Condition condition = branch.Condition;
        if (whenTrue == whenFalse) return Jump(whenTrue);
        if (left.IsConstant && right.IsConstant)
            return Jump(Conditions.Evaluate(condition, left.Constant, right.Constant, branch.Is32) ? whenTrue : whenFalse);
        if (left.IsConstant)
        {
            (left, right) = (right, left);
            condition = Conditions.Swapped(condition);
        }
        int leftRegister = Id(left.Register!);
        int? immediate = right.IsConstant && (branch.Is32 || right.FitsImmediate) ? unchecked((int)right.Constant) : null;
        int rightRegister = immediate is null ? InRegister(right, ValueKind.I64) : MachineRegister.None;
        return new MachineTerminator
        {
            Kind = TerminatorKind.Branch, Condition = condition, Left = leftRegister, Right = rightRegister,
            Immediate = immediate ?? 0, Is32 = branch.Is32, Target = whenTrue, FalseTarget = whenFalse, Source = _source,
        };
    }

    MachineTerminator SelectReturn(ReturnTerminator ret)
    {
        bool program = _function.IsProgram;
        if (ret.Value is { } value)
        {
            if (value.Register is not { } r) LoadConstant(0, value.Constant, ValueKind.I64);
            // A program's I32 result is read as 64 bits by the kernel: its upper half must be zero.
            else if (program && r.Is32 && !_zeroExtended[r.Id]) Mov32(0, Id(r));
            else Copy(0, Id(r));
        }
        else if (program) LoadConstant(0, 0, ValueKind.I64); // the verifier requires r0 set at a program's exit
        return new MachineTerminator { Kind = TerminatorKind.Exit, ReadsR0 = program || ret.Value is not null, Source = _source };
    }

    MachineTerminator SelectAbort()
    {
        if (_function.IsProgram)
        {
            LoadConstant(0, _function.ExceptionExitCode, ValueKind.I64);
        }
        else
        {
            // bpf_throw unwinds to the program, which returns the cookie; the exit after it is never reached
            // but ends the subprogram as the verifier's layout check demands.
            LoadConstant(1, _function.ExceptionExitCode, ValueKind.I64);
            EmitCall(Instruction.CallKfuncByName(ThrowKfunc), 1);
        }
        return new MachineTerminator { Kind = TerminatorKind.Exit, ReadsR0 = true, Source = _source };
    }
}
