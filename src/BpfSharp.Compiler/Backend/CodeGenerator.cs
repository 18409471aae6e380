using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>
/// The compiler's backend: one IR function to eBPF instructions. Stages: instruction selection into
/// two-address code over virtual registers, dead-code removal, register allocation (graph colouring with
/// coalescing, spilling to the stack), frame layout, and emission with block layout and resolved jumps.
/// </summary>
public static class CodeGenerator
{
    /// <summary>The eBPF stack limit per program (all frames of a call chain share it).</summary>
    public const int MaxStackSize = 512;

    /// <summary>
    /// Generates code for <paramref name="function"/>. A frame over <see cref="MaxStackSize"/> is reported to
    /// <paramref name="diagnostics"/> (BPF0301) and the code is still returned; IR the backend cannot express
    /// throws <see cref="CompilationErrorException"/> with the diagnostic.
    /// </summary>
    public static CompiledFunction Generate(IrFunction function, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(diagnostics);

        MachineFunction machine = InstructionSelector.Select(function);
        Liveness.RemoveDeadCode(machine);
        int[] colors = RegisterAllocator.Allocate(machine);
        var frame = new FrameLayout([.. function.StackSlots, .. machine.SpillSlots]);
        if (frame.Size > MaxStackSize)
            diagnostics.Add(DiagnosticCatalog.StackTooLarge, function.Source, function.Name, frame.Size);
        return new CompiledFunction(function, CodeEmitter.Emit(machine, colors, frame)) { StackSize = frame.Size };
    }
}
