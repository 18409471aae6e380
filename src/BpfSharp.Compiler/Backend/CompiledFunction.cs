using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>
/// One function after code generation: eBPF instructions with jumps inside the function resolved, and
/// references to what only the emitter can place left in instruction metadata:
/// <list type="bullet">
/// <item><c>ld_imm64</c> with <see cref="LoadImm64Source.MapFd"/>: <see cref="Instruction.Reference"/> = map name.</item>
/// <item><c>ld_imm64</c> with <see cref="LoadImm64Source.MapValue"/>: Reference = global variable name; the
/// constant's high half holds the offset into the variable (<see cref="SymbolAddressInstruction.Offset"/>).</item>
/// <item><c>ld_imm64</c> with <see cref="LoadImm64Source.Function"/> and BPF-to-BPF <c>call</c>: Reference = function name.</item>
/// <item>kfunc <c>call</c>: Reference = kfunc name.</item>
/// </list>
/// Every instruction carries the <see cref="SourceLocation"/> of the IR instruction it came from.
/// </summary>
public sealed record CompiledFunction(IrFunction Function, Instruction[] Instructions)
{
    /// <summary>The stack bytes the function uses (≤ 512).</summary>
    public int StackSize { get; init; }
}
