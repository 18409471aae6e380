using Xunit;

using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Tests;

public class IrDumpTests
{
    [Fact]
    public void A_hand_built_function_dumps_as_text()
    {
        var f = new IrFunction("add_one") { ReturnKind = ValueKind.I32 };
        VirtualRegister x = f.NewRegister(ValueKind.I32, "x");
        f.Parameters.Add(x);
        BasicBlock entry = f.NewBlock();
        VirtualRegister y = f.NewRegister(ValueKind.I32);
        entry.Instructions.Add(new BinaryInstruction(BinaryOp.Add, y, x, Operand.Of(1)));
        entry.Terminator = new ReturnTerminator(y);

        Assert.Equal("""
            function add_one(%0:x) -> I32
            bb0:
              %1 = add32 %0:x, 1
              return %1

            """.ReplaceLineEndings("\n"), f.ToString().ReplaceLineEndings("\n"));
    }
}
