namespace BpfSharp.Compiler.Diagnostics;

// BPF02xx: types in maps and globals, and the map-type rules of docs/map-types.md.
// Messages follow the runtime's wording (BpfSharp.Layout): "<subject> is not allowed: field 'Path' (Type) at offset N <problem> (rule: R)."
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor MapTypeRule { get; } = E("BPF0201", "Type not allowed in a map",
        "{0}", "");
    public static DiagnosticDescriptor MapTypeOverAligned { get; } = E("BPF0202", "Over-aligned type in a map or global",
        "{0} is not allowed: {1} needs {2}-byte alignment, but the kernel aligns map keys and values (and the data sections holding globals) to 8 bytes (rule: alignment ≤ 8).",
        "Store an Int128/UInt128 as two ulong fields (Lo, Hi) or a fixed byte[16] buffer, vector lanes in a fixed buffer or [InlineArray] of the lane type.");
    public static DiagnosticDescriptor MapTypePointer { get; } = E("BPF0203", "Pointer in a map or global",
        "{0} is not allowed: {1} is a pointer ({2}): a user-space address means nothing in the kernel and the verifier refuses to store kernel pointers in map memory (rule: no pointers in map keys/values).",
        "Use ulong if an address value is really meant; kernel pointers (kptr) are declared differently (not supported yet).");
    public static DiagnosticDescriptor MapTypeFloatingPoint { get; } = E("BPF0204", "Floating point in a map or global",
        "{0} is not allowed: {1} is floating point ({2}); eBPF programs cannot compute with it (rule: no floating point).",
        "Use integers (fixed-point), or keep the bits in a uint/ulong field (BitConverter.SingleToUInt32Bits / DoubleToUInt64Bits on the user side).");
    public static DiagnosticDescriptor MapTypeAutoLayout { get; } = E("BPF0205", "Auto layout in a map or global",
        "{0} is not allowed: {1} has LayoutKind.Auto: the CLR may order its fields differently from what the BPF program and BTF expect (rule: layout Sequential or Explicit).",
        "Remove [StructLayout(LayoutKind.Auto)] (structs are Sequential by default); for DateTime or DateTimeOffset store the Ticks as a long.");
    public static DiagnosticDescriptor MapTypeMisaligned { get; } = W("BPF0206", "Misaligned field in a map or global",
        "{0}: {1} is not {2}-byte aligned (StructLayout Pack or FieldOffset); the program reads it with unaligned accesses, which work on map memory on x86-64 and arm64 but not atomically, and the verifier refuses them on the stack, packet and context memory (rule: misaligned field).",
        "Remove Pack (or set it to at least the field's alignment), or move the field to an offset that is a multiple of its alignment.");
    public static DiagnosticDescriptor MapTypeEmpty { get; } = E("BPF0207", "Map key or value without data",
        "{0} is not allowed: the type itself has no fields: its one byte is padding, and the kernel would store and compare nothing (rule: key/value must have data).",
        "Give it at least one field; a map with no key (queue, stack, bloom filter, ring buffer) uses no key type.");
    public static DiagnosticDescriptor MapTypeManaged { get; } = E("BPF0208", "Managed reference in a map or global",
        "{0} is not allowed: {1} is {2}, which cannot be stored in map memory (rule: unmanaged only).",
        "Store the data itself: value-type fields, a fixed buffer or an [InlineArray] struct.");
}
