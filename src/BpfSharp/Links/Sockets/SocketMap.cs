using System.Net.Sockets;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Links.Sockets;

/// <summary>
/// A SOCKMAP (array of sockets, 4-byte index) or SOCKHASH (sockets by key) seen from user space: sockets go in by
/// their fd, and a lookup gives back the socket's cookie (when the value is 8 bytes). Which sockets a map takes:
/// TCP sockets that are established or listening, UDP, Unix and vsock sockets. Attach the map's programs
/// (<see cref="SockMapLink"/>) before inserting sockets: a socket takes the programs present when it is inserted.
/// </summary>
public sealed unsafe class SocketMap : IDisposable, ITypedMapView<SocketMap>
{
    /// <summary>Wraps an existing sockmap or sockhash (taking ownership of the map).</summary>
    public SocketMap(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        MapTypeCheck.MapType(map, nameof(SocketMap), BpfMapType.SockMap, BpfMapType.SockHash);
        if (map.ValueSize is not (4 or 8))
            throw new ArgumentException($"{nameof(SocketMap)} cannot wrap {map}: a socket map's value is a 4- or 8-byte socket fd (8 bytes give cookies on lookup).", nameof(map));
        Map = map;
    }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static SocketMap Wrap(BpfMap map) => new(map);

    /// <summary>Creates a SOCKMAP of <paramref name="maxEntries"/> slots (4-byte index, 8-byte value).</summary>
    public static SocketMap CreateArray(uint maxEntries, string? name = null, ISyscalls? syscalls = null) =>
        new(BpfMap.Create(new MapSpec { Type = BpfMapType.SockMap, KeySize = 4, ValueSize = 8, MaxEntries = maxEntries, Name = name }, syscalls));

    /// <summary>Creates a SOCKHASH keyed by <paramref name="keySize"/>-byte keys (8-byte value).</summary>
    public static SocketMap CreateHash(uint keySize, uint maxEntries, string? name = null, ISyscalls? syscalls = null) =>
        new(BpfMap.Create(new MapSpec { Type = BpfMapType.SockHash, KeySize = keySize, ValueSize = 8, MaxEntries = maxEntries, Name = name }, syscalls));

    /// <summary>The untyped map underneath (fd, type, pinning).</summary>
    public BpfMap Map { get; }

    /// <summary>Puts <paramref name="socket"/> at <paramref name="key"/> (an index for a SOCKMAP), replacing what was there.</summary>
    public void Set<TKey>(TKey key, Socket socket) where TKey : unmanaged
    {
        ArgumentNullException.ThrowIfNull(socket);
        Set(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), socket.SafeHandle);
    }

    /// <summary>Puts the socket <paramref name="socket"/> (any socket fd handle) at <paramref name="key"/>.</summary>
    public void Set(ReadOnlySpan<byte> key, SafeHandle socket, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        ArgumentNullException.ThrowIfNull(socket);
        bool added = false;
        socket.DangerousAddRef(ref added);
        try
        {
            ulong fd = (ulong)(long)socket.DangerousGetHandle();
            ReadOnlySpan<byte> value = MemoryMarshal.AsBytes(new ReadOnlySpan<ulong>(in fd))[..(int)Map.ValueSize];
            try { Map.Update(key, value, flags); }
            catch (BpfSyscallException e) when (e.Errno == Errno.EOPNOTSUPP)
            {
                throw new BpfSyscallException(BpfCommand.MapUpdateElem, (int)Errno.EOPNOTSUPP, e.Context,
                    "a socket map takes TCP sockets that are established or listening, UDP, Unix and vsock sockets; this socket is of another kind or state.");
            }
        }
        finally
        {
            if (added) socket.DangerousRelease();
        }
    }

    /// <summary>Removes the socket at <paramref name="key"/>; false when there was none.</summary>
    public bool Remove<TKey>(TKey key) where TKey : unmanaged => Map.Delete(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)));

    /// <summary>The cookie (<c>SO_COOKIE</c>) of the socket at <paramref name="key"/>; false when the slot is empty. Needs 8-byte values.</summary>
    public bool TryGetCookie<TKey>(TKey key, out ulong cookie) where TKey : unmanaged
    {
        if (Map.ValueSize != 8)
            throw new InvalidOperationException($"{Map} has {Map.ValueSize}-byte values: the kernel returns socket cookies only for 8-byte values.");
        ulong value = 0;
        bool found = Map.TryLookup(MemoryMarshal.AsBytes(new ReadOnlySpan<TKey>(in key)), MemoryMarshal.AsBytes(new Span<ulong>(ref value)));
        cookie = value;
        return found;
    }

    public void Dispose() => Map.Dispose();

    public override string ToString() => Map.ToString();
}
