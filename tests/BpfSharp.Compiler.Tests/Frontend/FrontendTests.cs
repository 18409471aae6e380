using BpfSharp.Compiler.IR;
using Xunit;

namespace BpfSharp.Compiler.Tests.Frontend;

public class FrontendTests
{
    [Fact]
    public void A_module_lowers_to_IR_with_its_maps_globals_programs_and_subprograms()
    {
        var (modules, diagnostics) = BpfCompiler.Lower(typeof(FrontendSample).Assembly.Location, new CompilerOptions { Module = nameof(FrontendSample) });
        string errors = string.Join("\n", diagnostics.ToList().Where(d => d.Severity == Diagnostics.DiagnosticSeverity.Error));
        Assert.True(errors.Length == 0, errors);
        IrModule m = Assert.Single(modules);
        Assert.Equal("Counts", Assert.Single(m.Maps).Name);
        Assert.Contains(m.Globals, g => g.Name == "Seen" && g.Section == GlobalSection.Bss);
        Assert.Contains(m.Globals, g => g.Name == "Limit" && g.Section == GlobalSection.ReadOnly && g.InitialValue[0] == 7);
        Assert.Equal(["Arith", "Lookup", "Add3"], m.Functions.Select(f => f.Name));
        // `Interlocked.Increment(ref Seen);` discards its value: a plain atomic add, no fetch.
        AtomicInstruction add = Assert.Single(m.Functions[0].Blocks.SelectMany(b => b.Instructions).OfType<AtomicInstruction>());
        Assert.Equal(Asm.AtomicOp.Add, add.Op);
        Assert.Null(add.Destination);
    }
}
