namespace BpfSharp.Asm;

/// <summary>What the 64-bit immediate of <c>ld_imm64</c> means, selected by its source register field.</summary>
public enum LoadImm64Source : byte
{
    /// <summary>A plain 64-bit constant.</summary>
    Constant = 0,
    /// <summary>A map, by file descriptor (<c>BPF_PSEUDO_MAP_FD</c>).</summary>
    MapFd = 1,
    /// <summary>An address in a map's value, by file descriptor; the offset is the upper half (<c>BPF_PSEUDO_MAP_VALUE</c>).</summary>
    MapValue = 2,
    /// <summary>A kernel variable, by BTF id (<c>BPF_PSEUDO_BTF_ID</c>).</summary>
    BtfId = 3,
    /// <summary>The address of a subprogram, as an instruction offset (<c>BPF_PSEUDO_FUNC</c>).</summary>
    Function = 4,
    /// <summary>A map, by index into the program's fd array (<c>BPF_PSEUDO_MAP_IDX</c>).</summary>
    MapIndex = 5,
    /// <summary>An address in a map's value, by fd-array index; the offset is the upper half (<c>BPF_PSEUDO_MAP_IDX_VALUE</c>).</summary>
    MapIndexValue = 6,
}
