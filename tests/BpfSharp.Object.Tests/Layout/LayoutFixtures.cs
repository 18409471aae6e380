using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

#pragma warning disable CS0169, CS0649 // fixture fields exist to be laid out, never read

namespace BpfSharp.Layout.Tests;

struct UIntThenULong { public uint A; public ulong B; }

unsafe struct Counters { public fixed ulong Values[4]; public uint Count; }

[InlineArray(4)]
struct FourStamps { ulong _element; }

struct Header { public ushort Kind; public byte Version; }

[InlineArray(3)]
struct ThreeHeaders { Header _element; }

struct NestedBuffers { public byte Tag; public Counters Inner; public FourStamps Stamps; public ThreeHeaders Headers; }

enum ByteColor : byte { Red, Green }
enum IntState { Idle, Busy }
enum LongMask : long { None, All = -1 }

struct EnumFields { public ByteColor Color; public IntState State; public LongMask Mask; }

struct HoldsInt128 { public uint Id; public Int128 Value; }

struct DeepUInt128 { public byte Tag; public UInt128 Value; }
struct MiddleUInt128 { public ushort Kind; public DeepUInt128 Deep; }
struct OuterUInt128 { public uint Id; public MiddleUInt128 Middle; }

struct HoldsVector { public int Count; public Vector128<int> Lanes; }

[StructLayout(LayoutKind.Sequential, Pack = 1)]
struct PackedOne { public byte Tag; public ulong Value; }

struct Pair<TFirst, TSecond> { public TFirst First; public TSecond Second; }

struct BoolAndChar { public bool Flag; public char Letter; public ushort Code; }

[StructLayout(LayoutKind.Auto)]
struct AutoLayout { public int A; public long B; }

struct HoldsAutoLayout { public int X; public AutoLayout Inner; }

unsafe struct HoldsPointer { public int Count; public int* Items; }

struct HoldsNint { public uint Count; public nint Handle; }

unsafe struct HoldsFunctionPointer { public long Id; public delegate* unmanaged<int, void> Callback; }

[StructLayout(LayoutKind.Explicit)]
struct Overlapping
{
    [FieldOffset(0)] public ulong All;
    [FieldOffset(0)] public uint Low;
    [FieldOffset(4)] public uint High;
}

struct Empty;

record struct StampedRecord(uint Id, Int128 Stamp);

struct HoldsDateTime { public int Id; public DateTime When; }

struct HoldsDecimal { public int Id; public decimal Amount; }

[InlineArray(2)]
struct TwoHandles { HoldsNint _element; }

struct HoldsHandles { public ulong Id; public TwoHandles Handles; }

[StructLayout(LayoutKind.Sequential, Pack = 1)]
struct PackedNested { public byte Tag; public UIntThenULong Inner; }

struct HoldsWideVectors { public Vector256<byte> Wide; public Vector512<long> Wider; }
