namespace BpfSharp.Asm;

/// <summary>The operation of a <c>BPF_ATOMIC</c> instruction, held in its immediate.</summary>
public enum AtomicOp
{
    Add = 0x00,
    Or = 0x40,
    And = 0x50,
    Xor = 0xa0,
    /// <summary>Add and return the old value in the source register.</summary>
    FetchAdd = 0x01,
    FetchOr = 0x41,
    FetchAnd = 0x51,
    FetchXor = 0xa1,
    /// <summary>Exchange: the source register receives the old value.</summary>
    Exchange = 0xe1,
    /// <summary>Compare with R0 and exchange; R0 receives the old value.</summary>
    CompareExchange = 0xf1,
    /// <summary>Load with acquire semantics into the destination register.</summary>
    LoadAcquire = 0x100,
    /// <summary>Store with release semantics from the source register.</summary>
    StoreRelease = 0x110,
}
