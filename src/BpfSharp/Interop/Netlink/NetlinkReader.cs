using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static BpfSharp.Interop.Netlink.NetlinkProtocol;

namespace BpfSharp.Interop.Netlink;

/// <summary>One netlink message of a received datagram: its header and the bytes after it.</summary>
readonly ref struct NetlinkMessage
{
    public NetlinkMessage(NetlinkMessageHeader header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public NetlinkMessageHeader Header { get; }

    /// <summary>Everything after the 16-byte header, up to the message's length.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The fixed family struct at the start of the payload; throws when the payload is too short for it.</summary>
    public T Fixed<T>() where T : unmanaged
    {
        if (Payload.Length < Unsafe.SizeOf<T>())
            throw new BpfFormatException($"netlink message of type {Header.Type} is {Payload.Length} bytes, too short for its {Unsafe.SizeOf<T>()}-byte {typeof(T).Name}.");
        return MemoryMarshal.Read<T>(Payload);
    }

    /// <summary>The attributes that follow the fixed struct <typeparamref name="T"/>.</summary>
    public NetlinkAttributes AttributesAfter<T>() where T : unmanaged =>
        new(Payload.Length <= Align(Unsafe.SizeOf<T>()) ? default : Payload[Align(Unsafe.SizeOf<T>())..]);
}

/// <summary>Walks the messages of one datagram from a netlink socket.</summary>
ref struct NetlinkMessageEnumerator
{
    ReadOnlySpan<byte> rest;

    public NetlinkMessageEnumerator(ReadOnlySpan<byte> datagram)
    {
        rest = datagram;
        Current = default;
    }

    public NetlinkMessage Current { get; private set; }

    public readonly NetlinkMessageEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        int headerSize = Unsafe.SizeOf<NetlinkMessageHeader>();
        if (rest.Length < headerSize) return false;
        var header = MemoryMarshal.Read<NetlinkMessageHeader>(rest);
        if (header.Length < headerSize || header.Length > rest.Length)
            throw new BpfFormatException($"netlink message claims {header.Length} bytes but {rest.Length} remain in the datagram.");
        Current = new NetlinkMessage(header, rest[headerSize..(int)header.Length]);
        int next = Align((int)header.Length);
        rest = next >= rest.Length ? default : rest[next..];
        return true;
    }
}

/// <summary>One attribute: its type (flag bits removed), whether it is nested, and its value.</summary>
readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value)
    {
        Type = (ushort)(rawType & NLA_TYPE_MASK);
        IsNested = (rawType & NLA_F_NESTED) != 0;
        Value = value;
    }

    public ushort Type { get; }
    public bool IsNested { get; }
    public ReadOnlySpan<byte> Value { get; }

    public byte U8() => Value.Length >= 1 ? Value[0] : throw TooShort(1);
    public uint U32() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : throw TooShort(4);
    public int S32() => (int)U32();

    /// <summary>A string attribute, up to its NUL terminator.</summary>
    public string String()
    {
        int end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Value : Value[..end]);
    }

    /// <summary>The attributes inside a nested attribute.</summary>
    public NetlinkAttributes Nested() => new(Value);

    BpfFormatException TooShort(int needed) =>
        new($"netlink attribute {Type} has {Value.Length} bytes, expected at least {needed}.");
}

/// <summary>A run of attributes, enumerable and searchable by type.</summary>
readonly ref struct NetlinkAttributes
{
    readonly ReadOnlySpan<byte> data;

    public NetlinkAttributes(ReadOnlySpan<byte> data) => this.data = data;

    public Enumerator GetEnumerator() => new(data);

    /// <summary>The first attribute of <paramref name="type"/>.</summary>
    public bool TryFind(ushort type, out NetlinkAttribute attribute)
    {
        foreach (NetlinkAttribute a in this)
        {
            if (a.Type != type) continue;
            attribute = a;
            return true;
        }
        attribute = default;
        return false;
    }

    public ref struct Enumerator
    {
        ReadOnlySpan<byte> rest;

        public Enumerator(ReadOnlySpan<byte> data)
        {
            rest = data;
            Current = default;
        }

        public NetlinkAttribute Current { get; private set; }

        public bool MoveNext()
        {
            int headerSize = Unsafe.SizeOf<NetlinkAttributeHeader>();
            if (rest.Length < headerSize) return false;
            var header = MemoryMarshal.Read<NetlinkAttributeHeader>(rest);
            if (header.Length < headerSize || header.Length > rest.Length)
                throw new BpfFormatException($"netlink attribute {header.Type & NLA_TYPE_MASK} claims {header.Length} bytes but {rest.Length} remain.");
            Current = new NetlinkAttribute(header.Type, rest[headerSize..header.Length]);
            int next = Align(header.Length);
            rest = next >= rest.Length ? default : rest[next..];
            return true;
        }
    }
}
