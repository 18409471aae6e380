using BpfSharp.Asm;

namespace BpfSharp.Objects;

sealed partial class ObjectLoader
{
    void ApplyCoreRelocations(ProgramDefinition program, Instruction[] instructions)
    {
        if (program.CoreRelocations.Count > 0) throw new NotSupportedException("CO-RE pending");
    }
}
