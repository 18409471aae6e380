using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>
/// Finds the I32 registers whose upper half is zero at every definition (ALU32 results, loads, 32-bit
/// constants, copies of such registers), so a 32→64 zero extension of them is a plain copy.
/// The IR is not SSA: a register qualifies only when all of its definitions do.
/// </summary>
internal static class ZeroExtensionAnalysis
{
    public static bool[] Run(IrFunction function)
    {
        var known = new bool[function.RegisterCount];
        var definitions = new List<IrInstruction>[function.RegisterCount];
        foreach (BasicBlock block in function.Blocks)
            foreach (IrInstruction instruction in block.Instructions)
                if (instruction.Destination is { Is32: true } d)
                    (definitions[d.Id] ??= []).Add(instruction);

        for (int i = 0; i < known.Length; i++) known[i] = definitions[i] is not null;
        foreach (VirtualRegister parameter in function.Parameters) known[parameter.Id] = false;

        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = 0; i < known.Length; i++)
            {
                if (!known[i]) continue;
                foreach (IrInstruction definition in definitions[i]!)
                {
                    if (ZeroesUpperHalf(definition, known)) continue;
                    known[i] = false;
                    changed = true;
                    break;
                }
            }
        }
        return known;
    }

    static bool ZeroesUpperHalf(IrInstruction instruction, bool[] known) => instruction switch
    {
        MoveInstruction m => m.Value.Register is { } r ? r.Is32 && known[r.Id] : true, // constants use mov32
        BinaryInstruction => true,
        UnaryInstruction u => u.Op != UnaryOp.ByteSwap64,
        ExtendInstruction e => e.FromBits < 32 ? true : e.Signed ? false : e.Value.Register is not { } r || (r.Is32 && known[r.Id]),
        LoadInstruction l => !l.SignExtend,
        _ => false,
    };
}
