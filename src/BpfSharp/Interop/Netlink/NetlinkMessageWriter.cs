using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static BpfSharp.Interop.Netlink.NetlinkProtocol;

namespace BpfSharp.Interop.Netlink;

/// <summary>
/// Builds one netlink request in a caller-supplied buffer (usually <c>stackalloc</c>): the header, the fixed family
/// struct, then attributes, nested ones included. Every piece is 4-byte aligned as the kernel expects;
/// <see cref="Finish"/> writes the total length into the header.
/// </summary>
ref struct NetlinkMessageWriter
{
    readonly Span<byte> buffer;
    int length;

    public NetlinkMessageWriter(Span<byte> buffer, ushort type, ushort flags, uint sequence)
    {
        this.buffer = buffer;
        length = 0;
        ref NetlinkMessageHeader header = ref Reserve<NetlinkMessageHeader>();
        header.Type = type;
        header.Flags = flags;
        header.Sequence = sequence;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => length;

    /// <summary>Appends a zeroed fixed struct (<c>ifinfomsg</c>, <c>tcmsg</c> …) and returns it to fill in.</summary>
    public ref T Reserve<T>() where T : unmanaged
    {
        Span<byte> space = Grow(Unsafe.SizeOf<T>());
        return ref MemoryMarshal.AsRef<T>(space);
    }

    /// <summary>Appends <paramref name="size"/> raw bytes (padded to 4) and returns them to fill in.</summary>
    public Span<byte> ReserveBytes(int size) => Grow(size);

    public void Attribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> space = Grow(Unsafe.SizeOf<NetlinkAttributeHeader>() + value.Length);
        ref NetlinkAttributeHeader header = ref MemoryMarshal.AsRef<NetlinkAttributeHeader>(space);
        header.Type = type;
        header.Length = checked((ushort)(Unsafe.SizeOf<NetlinkAttributeHeader>() + value.Length));
        value.CopyTo(space[Unsafe.SizeOf<NetlinkAttributeHeader>()..]);
    }

    public void AttributeU32(ushort type, uint value) => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in value)));

    public void AttributeS32(ushort type, int value) => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<int>(in value)));

    /// <summary>A NUL-terminated string attribute (ASCII; tc kinds and filter names are).</summary>
    public void AttributeString(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.ASCII.GetByteCount(value) + 1];
        Encoding.ASCII.GetBytes(value, bytes);
        bytes[^1] = 0;
        Attribute(type, bytes);
    }

    /// <summary>Opens a nested attribute; attributes appended until <see cref="EndNested"/> go inside it.</summary>
    public int BeginNested(ushort type)
    {
        int start = length;
        ref NetlinkAttributeHeader header = ref MemoryMarshal.AsRef<NetlinkAttributeHeader>(Grow(Unsafe.SizeOf<NetlinkAttributeHeader>()));
        header.Type = (ushort)(type | NLA_F_NESTED);
        return start;
    }

    public void EndNested(int start) =>
        MemoryMarshal.AsRef<NetlinkAttributeHeader>(buffer[start..]).Length = checked((ushort)(length - start));

    /// <summary>Sets the header's length and returns the finished message.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        MemoryMarshal.AsRef<NetlinkMessageHeader>(buffer).Length = (uint)length;
        return buffer[..length];
    }

    Span<byte> Grow(int size)
    {
        int aligned = Align(size);
        if (length + aligned > buffer.Length)
            throw new InvalidOperationException($"netlink request does not fit its {buffer.Length}-byte buffer (needs {length + aligned}).");
        Span<byte> space = buffer.Slice(length, aligned);
        space.Clear();
        length += aligned;
        return space[..size];
    }
}
