using System.Buffers.Binary;
using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Maps;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary>
/// Maps the CLI listing tests create in the kernel and keep open while the tool runs: a struct value described by BTF
/// (<c>struct counters { __u64 hits; __s32 delta; char tag[8]; enum state st; }</c>), with unique names.
/// </summary>
sealed class KernelMapFixtures : IDisposable
{
    static int counter;

    readonly BtfHandle btf;

    public KernelMapFixtures()
    {
        var b = new BtfBuilder();
        KeyType = b.AddTypedef("__u32", b.AddInt("unsigned int", 4));
        uint u64 = b.AddTypedef("__u64", b.AddInt("unsigned long long", 8));
        uint s32 = b.AddTypedef("__s32", b.AddInt("int", 4, signed: true));
        uint ch = b.AddInt("char", 1, signed: true);
        uint tag = b.AddArray(ch, b.AddInt("__ARRAY_SIZE_TYPE__", 4), 8);
        uint state = b.AddEnum("state", 4, signed: false, ("IDLE", 0), ("RUNNING", 1), ("DONE", 2));
        ValueType = b.AddStruct("counters", 32, ("hits", u64, 0u), ("delta", s32, 64u), ("tag", tag, 96u), ("st", state, 160u));
        Btf = b.ToSpec();
        btf = BtfHandle.Load(Btf.RawData.Span);
    }

    public BtfSpec Btf { get; }
    public uint KeyType { get; }
    public uint ValueType { get; }

    /// <summary>A kernel map name (at most 15 characters) no other test or process uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Environment.ProcessId % 100000}_{Interlocked.Increment(ref counter)}";

    /// <summary>A map of <c>__u32 → struct counters</c> of <paramref name="type"/> with BTF.</summary>
    public BpfMap CreateWithBtf(BpfMapType type, string name, uint maxEntries = 8) => BpfMap.Create(new MapSpec
    {
        Type = type, KeySize = 4, ValueSize = 32, MaxEntries = maxEntries, Name = name,
        Btf = btf, BtfKeyTypeId = KeyType, BtfValueTypeId = ValueType,
    });

    /// <summary>The bytes of one <c>struct counters</c>.</summary>
    public static byte[] Counters(ulong hits, int delta, string tag, uint state)
    {
        byte[] value = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(value, hits);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(8), delta);
        System.Text.Encoding.ASCII.GetBytes(tag).CopyTo(value, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(20), state);
        return value;
    }

    public static byte[] Key(uint key) => BitConverter.GetBytes(key);

    public void Dispose() => btf.Dispose();
}
