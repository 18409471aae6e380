using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Interop;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// Every map type the kernel offers: created with valid parameters, its info checked against what was asked for,
/// and its natural round trip done. A type this machine cannot create fails here, with the reason, rather than passing.
/// </summary>
public unsafe class MapTypeTests
{
    const int ENOTSUPP = 524; // the kernel-internal "not supported" some map types return to user space

    /// <summary>Every distinct map type except UNSPEC (the deprecated aliases share their value with the current name).</summary>
    public static TheoryData<BpfMapType> AllTypes()
    {
        var data = new TheoryData<BpfMapType>();
        foreach (BpfMapType t in Enum.GetValues<BpfMapType>().Distinct())
            if (t != BpfMapType.Unspec) data.Add(t);
        return data;
    }

    [Fact]
    public void TheTableCoversEveryMapTypeUpToArena()
    {
        // The kernel numbers map types densely; a type added to the enum without a case here fails the theory below.
        var types = AllTypes().Select(row => (uint)row.Data).ToArray();
        Assert.Equal(Enumerable.Range(1, (int)BpfMapType.Arena).Select(i => (uint)i), types.Order());
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void RoundTrips(BpfMapType type)
    {
        Kernel.Require();
        switch (type)
        {
            case BpfMapType.Hash: HashLike(type, MapCreateFlags.None, canDelete: true); break;
            case BpfMapType.LruHash: HashLike(type, MapCreateFlags.None, canDelete: true); break;
            case BpfMapType.PerCpuHash: HashLike(type, MapCreateFlags.None, canDelete: true); break;
            case BpfMapType.LruPerCpuHash: HashLike(type, MapCreateFlags.None, canDelete: true); break;
            case BpfMapType.Array: HashLike(type, MapCreateFlags.None, canDelete: false); break;
            case BpfMapType.PerCpuArray: HashLike(type, MapCreateFlags.None, canDelete: false); break;
            case BpfMapType.LpmTrie: LpmTrie(); break;
            case BpfMapType.ProgArray: ProgArray(); break;
            case BpfMapType.PerfEventArray: FdArrayWithoutUserLookup(type, (uint)PossibleCpus.Count); break;
            case BpfMapType.StackTrace: StackTrace(); break;
            case BpfMapType.CgroupArray: CgroupArray(); break;
            case BpfMapType.ArrayOfMaps: MapInMap(type); break;
            case BpfMapType.HashOfMaps: MapInMap(type); break;
            case BpfMapType.DevMap: DevMap(type); break;
            case BpfMapType.DevMapHash: DevMap(type); break;
            case BpfMapType.SockMap: SockMap(type); break;
            case BpfMapType.SockHash: SockMap(type); break;
            case BpfMapType.CpuMap: CpuMap(); break;
            case BpfMapType.XskMap: XskMap(); break;
            case BpfMapType.ReuseportSockarray: ReuseportSockarray(); break;
            case BpfMapType.Queue: PushPop(type); break;
            case BpfMapType.Stack: PushPop(type); break;
            case BpfMapType.BloomFilter: BloomFilter(); break;
            case BpfMapType.RingBuf: RingBuffer(type); break;
            case BpfMapType.UserRingBuf: RingBuffer(type); break;
            case BpfMapType.SkStorage: LocalStorage(type); break;
            case BpfMapType.TaskStorage: LocalStorage(type); break;
            case BpfMapType.CgrpStorage: LocalStorage(type); break;
            case BpfMapType.InodeStorage: LocalStorage(type); break;
            case BpfMapType.StructOps: StructOps(); break;
            case BpfMapType.Arena: Arena(); break;
            case BpfMapType.CgroupStorage: CgroupStorage(type); break;
            case BpfMapType.PerCpuCgroupStorage: CgroupStorage(type); break;
            default: Assert.Fail($"no round trip for {type}: add one"); break;
        }
    }

    // ---- helpers ----

    static string NameFor(BpfMapType type)
    {
        string n = "t_" + type.ToString().ToLowerInvariant();
        return n.Length > 15 ? n[..15] : n;
    }

    /// <summary>Creates the map and checks what the kernel reports against the spec.</summary>
    static BpfMap CreateChecked(MapSpec spec)
    {
        BpfMap map = BpfMap.Create(spec);
        MapInfo info = map.GetInfo();
        Assert.Equal(spec.Type, info.Type);
        Assert.Equal(spec.KeySize, info.KeySize);
        Assert.Equal(spec.ValueSize, info.ValueSize);
        Assert.Equal(spec.MaxEntries, info.MaxEntries);
        // A devmap is always read-only for programs: the kernel adds BPF_F_RDONLY_PROG to what was asked for.
        MapCreateFlags expectedFlags = spec.Type is BpfMapType.DevMap or BpfMapType.DevMapHash ? spec.Flags | MapCreateFlags.RdonlyProg : spec.Flags;
        Assert.Equal(expectedFlags, info.Flags);
        Assert.Equal(spec.Name, info.Name);
        Assert.Equal(spec.MapExtra, info.MapExtra);
        Assert.NotEqual(0u, info.Id);
        return map;
    }

    static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
    static byte[] U64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }

    static void AssertErrno(Errno expected, BpfCommand command, Action action)
    {
        var e = Assert.Throws<BpfSyscallException>(action);
        Assert.Equal(command, e.Command);
        Assert.Equal(expected, e.Errno);
    }

    static void AssertErrno(int expected, BpfCommand command, Action action)
    {
        var e = Assert.Throws<BpfSyscallException>(action);
        Assert.Equal(command, e.Command);
        Assert.Equal(expected, (int)e.Errno);
    }

    // ---- the round trips ----

    static void HashLike(BpfMapType type, MapCreateFlags flags, bool canDelete)
    {
        bool perCpu = type is BpfMapType.PerCpuHash or BpfMapType.PerCpuArray or BpfMapType.LruPerCpuHash;
        const uint valueSize = 8, max = 8;
        using BpfMap map = CreateChecked(new MapSpec { Type = type, KeySize = 4, ValueSize = valueSize, MaxEntries = max, Flags = flags, Name = NameFor(type) });
        int slots = perCpu ? PossibleCpus.Count : 1;
        Assert.Equal(valueSize * (uint)slots, map.UserValueSize);

        byte[] Value(uint key)
        {
            var v = new byte[valueSize * slots];
            for (int cpu = 0; cpu < slots; cpu++) BinaryPrimitives.WriteUInt64LittleEndian(v.AsSpan(cpu * 8), key * 1000 + (ulong)cpu);
            return v;
        }

        uint[] keys = [1, 3, 5];
        foreach (uint k in keys) map.Update(U32(k), Value(k));
        var read = new byte[map.UserValueSize];
        foreach (uint k in keys)
        {
            Assert.True(map.TryLookup(U32(k), read));
            Assert.Equal(Value(k), read);
        }

        // Iterate: a hash holds exactly the keys written; an array holds every index.
        var seen = new List<uint>();
        var cur = Array.Empty<byte>();
        var next = new byte[4];
        while (map.TryGetNextKey(cur, next)) { seen.Add(BinaryPrimitives.ReadUInt32LittleEndian(next)); cur = (byte[])next.Clone(); }
        Assert.Equal(canDelete ? keys : Enumerable.Range(0, (int)max).Select(i => (uint)i), seen.Order());

        if (canDelete)
        {
            Assert.False(map.TryLookup(U32(2), read));
            Assert.True(map.Delete(U32(3)));
            Assert.False(map.Delete(U32(3)));
            Assert.False(map.TryLookup(U32(3), read));
        }
        else
        {
            Assert.True(map.TryLookup(U32(2), read));        // arrays hold every index, zeroed
            Assert.All(read, b => Assert.Equal(0, b));
            AssertErrno(Errno.EINVAL, BpfCommand.MapDeleteElem, () => map.Delete(U32(3)));
            Assert.False(map.TryLookup(U32(max), read));      // past the end: not found
        }
    }

    static void LpmTrie()
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.LpmTrie, KeySize = 8, ValueSize = 4, MaxEntries = 16, Flags = MapCreateFlags.NoPrealloc, Name = "t_lpm" });
        static byte[] Key(uint prefix, byte a, byte b, byte c, byte d) { var k = new byte[8]; BinaryPrimitives.WriteUInt32LittleEndian(k, prefix); k[4] = a; k[5] = b; k[6] = c; k[7] = d; return k; }
        map.Update(Key(8, 10, 0, 0, 0), U32(8));
        map.Update(Key(16, 10, 1, 0, 0), U32(16));
        var v = new byte[4];
        Assert.True(map.TryLookup(Key(32, 10, 1, 2, 3), v));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(v));
        Assert.True(map.TryLookup(Key(32, 10, 2, 2, 3), v));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(v));
        Assert.False(map.TryLookup(Key(32, 11, 1, 2, 3), v));
        Assert.True(map.Delete(Key(16, 10, 1, 0, 0)));
        Assert.True(map.TryLookup(Key(32, 10, 1, 2, 3), v));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(v));
    }

    static void ProgArray()
    {
        using BpfMap raw = CreateChecked(new MapSpec { Type = BpfMapType.ProgArray, KeySize = 4, ValueSize = 4, MaxEntries = 2, Name = "t_progs" });
        using var array = new ProgramArray(raw);
        using var target = TestPrograms.Returning(99, "t_target");
        using var caller = TestPrograms.TailCalling(array, 1, 3, "t_caller");
        Assert.False(array.TryGetProgramId(1, out _));
        array.Set(1, target);
        Assert.True(array.TryGetProgramId(1, out uint id));
        Assert.Equal(target.GetInfo().Id, id);
        Assert.Equal(99u, caller.TestRun(TestPrograms.Packet()));
        Assert.True(array.Remove(1));
        Assert.Equal(3u, caller.TestRun(TestPrograms.Packet()));
    }

    /// <summary>perf_event_array: the kernel has no user-space lookup for it (ENOTSUPP), empty slot or not; delete of an empty slot is ENOENT.</summary>
    static void FdArrayWithoutUserLookup(BpfMapType type, uint max)
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = max, Name = NameFor(type) });
        var v = new byte[4];
        AssertErrno(ENOTSUPP, BpfCommand.MapLookupElem, () => map.TryLookup(U32(0), v));
        Assert.False(map.Delete(U32(0)));
    }

    static void StackTrace()
    {
        const uint depth = 127;
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.StackTrace, KeySize = 4, ValueSize = depth * 8, MaxEntries = 64, Name = "t_stacks" });
        var v = new byte[depth * 8];
        Assert.False(map.TryLookup(U32(7), v));
        Assert.False(map.Delete(U32(7)));
    }

    static void CgroupArray()
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.CgroupArray, KeySize = 4, ValueSize = 4, MaxEntries = 4, Name = "t_cgroups" });
        using var cgroup = Native.Open("/sys/fs/cgroup/unified");
        map.Update(U32(2), U32((uint)cgroup.Fd));
        var v = new byte[4];
        // There is no user-space lookup of a cgroup array: the kernel says ENOTSUPP even for a filled slot.
        AssertErrno(ENOTSUPP, BpfCommand.MapLookupElem, () => map.TryLookup(U32(2), v));
        Assert.True(map.Delete(U32(2)));
        Assert.False(map.Delete(U32(2)));
        // Only cgroup fds are accepted.
        using var file = Native.Open("/proc/self/status");
        AssertErrno(Errno.EBADF, BpfCommand.MapUpdateElem, () => map.Update(U32(1), U32((uint)file.Fd)));
    }

    static void MapInMap(BpfMapType type)
    {
        using BpfMap template = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 4, Name = "t_inner_tmpl" });
        using BpfMap outer = CreateChecked(new MapSpec { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 4, InnerMap = template, Name = NameFor(type) });
        using BpfMap inner = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 4, Name = "t_inner" });
        inner.Update(U32(1), U64(0xfeed));
        outer.Update(U32(3), U32((uint)inner.Fd.RawValue));
        var v = new byte[4];
        Assert.True(outer.TryLookup(U32(3), v));
        Assert.Equal(inner.GetInfo().Id, BinaryPrimitives.ReadUInt32LittleEndian(v));
        Assert.NotEqual(template.GetInfo().Id, BinaryPrimitives.ReadUInt32LittleEndian(v));

        // The id opens the same inner map.
        using BpfMap reopened = BpfMap.FromId(BinaryPrimitives.ReadUInt32LittleEndian(v));
        var inVal = new byte[8];
        Assert.True(reopened.TryLookup(U32(1), inVal));
        Assert.Equal(0xfeedul, BinaryPrimitives.ReadUInt64LittleEndian(inVal));

        // An inner map of another shape is refused.
        using BpfMap wrong = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 16, MaxEntries = 4, Name = "t_wrong" });
        AssertErrno(Errno.EINVAL, BpfCommand.MapUpdateElem, () => outer.Update(U32(0), U32((uint)wrong.Fd.RawValue)));

        Assert.True(outer.Delete(U32(3)));
        Assert.False(outer.TryLookup(U32(3), v));
    }

    static void DevMap(BpfMapType type)
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 8, Name = NameFor(type) });
        const uint lo = 1;
        map.Update(U32(5), U32(lo));
        var v = new byte[4];
        Assert.True(map.TryLookup(U32(5), v));
        Assert.Equal(lo, BinaryPrimitives.ReadUInt32LittleEndian(v));
        Assert.False(map.TryLookup(U32(4), v));
        Assert.True(map.Delete(U32(5)));
        Assert.False(map.TryLookup(U32(5), v));
        // An interface index that does not exist is refused.
        AssertErrno(Errno.EINVAL, BpfCommand.MapUpdateElem, () => map.Update(U32(6), U32(0x7fff_fff0)));
    }

    static void SockMap(BpfMapType type)
    {
        // 8-byte values: then a user-space lookup returns the socket's cookie.
        using BpfMap map = CreateChecked(new MapSpec { Type = type, KeySize = 4, ValueSize = 8, MaxEntries = 4, Name = NameFor(type) });
        using var pair = new Native.TcpPair();
        map.Update(U32(1), U64((ulong)Native.FdOf(pair.Client)));
        var v = new byte[8];
        Assert.True(map.TryLookup(U32(1), v));
        Assert.Equal(Native.Cookie(pair.Client), BinaryPrimitives.ReadUInt64LittleEndian(v));
        Assert.NotEqual(Native.Cookie(pair.Server), BinaryPrimitives.ReadUInt64LittleEndian(v));

        // An unconnected TCP socket is refused.
        using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        AssertErrno(Errno.EOPNOTSUPP, BpfCommand.MapUpdateElem, () => map.Update(U32(2), U64((ulong)Native.FdOf(unconnected))));

        Assert.True(map.Delete(U32(1)));
        Assert.False(map.TryLookup(U32(1), v));

        // With 4-byte values the cookie does not fit: the kernel refuses the lookup.
        using BpfMap narrow = BpfMap.Create(new MapSpec { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 4, Name = "t_sock_narrow" });
        narrow.Update(U32(0), U32((uint)Native.FdOf(pair.Server)));
        var n = new byte[4];
        AssertErrno(Errno.ENOSPC, BpfCommand.MapLookupElem, () => narrow.TryLookup(U32(0), n));
    }

    static void CpuMap()
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.CpuMap, KeySize = 4, ValueSize = 4, MaxEntries = (uint)PossibleCpus.Count, Name = "t_cpumap" });
        map.Update(U32(0), U32(192));
        var v = new byte[4];
        Assert.True(map.TryLookup(U32(0), v));
        Assert.Equal(192u, BinaryPrimitives.ReadUInt32LittleEndian(v));
        Assert.True(map.Delete(U32(0)));
        Assert.False(map.TryLookup(U32(0), v));
    }

    static void XskMap()
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.XskMap, KeySize = 4, ValueSize = 4, MaxEntries = 4, Name = "t_xsks" });
        var v = new byte[4];
        // The kernel has no user-space lookup for an xskmap.
        AssertErrno(Errno.EOPNOTSUPP, BpfCommand.MapLookupElem, () => map.TryLookup(U32(0), v));
        // Deleting an empty slot is not an error for an xskmap (unlike most maps): it reports success.
        Assert.True(map.Delete(U32(0)));
        // Only AF_XDP sockets go in: a UDP socket is refused.
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var e = Assert.Throws<BpfSyscallException>(() => map.Update(U32(0), U32((uint)Native.FdOf(udp))));
        Assert.Equal(BpfCommand.MapUpdateElem, e.Command);
    }

    static void ReuseportSockarray()
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.ReuseportSockarray, KeySize = 4, ValueSize = 8, MaxEntries = 4, Name = "t_reuseport" });
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        const int SolSocket = 1, SoReuseport = 15;
        udp.SetRawSocketOption(SolSocket, SoReuseport, BitConverter.GetBytes(1));
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        map.Update(U32(0), U64((ulong)Native.FdOf(udp)));
        var v = new byte[8];
        Assert.True(map.TryLookup(U32(0), v));
        Assert.Equal(Native.Cookie(udp), BinaryPrimitives.ReadUInt64LittleEndian(v));
        Assert.False(map.TryLookup(U32(1), v));

        // A socket without SO_REUSEPORT is refused.
        using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        plain.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        AssertErrno(Errno.EINVAL, BpfCommand.MapUpdateElem, () => map.Update(U32(1), U64((ulong)Native.FdOf(plain))));
        Assert.True(map.Delete(U32(0)));
        Assert.False(map.TryLookup(U32(0), v));
    }

    static void PushPop(BpfMapType type)
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = type, KeySize = 0, ValueSize = 4, MaxEntries = 3, Name = NameFor(type) });
        var v = new byte[4];
        Assert.False(map.TryLookupAndDelete([], v));
        foreach (uint x in new uint[] { 1, 2, 3 }) map.Update([], U32(x));
        AssertErrno(Errno.E2BIG, BpfCommand.MapUpdateElem, () => map.Update([], U32(4)));
        Assert.True(map.TryLookup([], v));
        uint peeked = BinaryPrimitives.ReadUInt32LittleEndian(v);
        Assert.Equal(type == BpfMapType.Queue ? 1u : 3u, peeked);
        var popped = new List<uint>();
        while (map.TryLookupAndDelete([], v)) popped.Add(BinaryPrimitives.ReadUInt32LittleEndian(v));
        Assert.Equal(type == BpfMapType.Queue ? [1u, 2u, 3u] : [3u, 2u, 1u], popped);
    }

    static void BloomFilter()
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.BloomFilter, KeySize = 0, ValueSize = 4, MaxEntries = 100, MapExtra = 3, Name = "t_bloom" });
        for (uint x = 0; x < 50; x++) map.Update([], U32(x * 7919));
        var v = new byte[4];
        for (uint x = 0; x < 50; x++) { U32(x * 7919).CopyTo(v, 0); Assert.True(map.TryLookup([], v)); }
        int falsePositives = 0;
        for (uint x = 0; x < 1000; x++) { U32(1_000_003 + x * 13).CopyTo(v, 0); if (map.TryLookup([], v)) falsePositives++; }
        Assert.True(falsePositives < 100, $"{falsePositives} of 1000 absent values reported present");
    }

    static void RingBuffer(BpfMapType type)
    {
        uint size = (uint)Environment.SystemPageSize * 4;
        using BpfMap map = CreateChecked(new MapSpec { Type = type, MaxEntries = size, Name = NameFor(type) });
        // Not a power of two: refused.
        AssertErrno(Errno.EINVAL, BpfCommand.MapCreate, () => BpfMap.Create(new MapSpec { Type = type, MaxEntries = size * 3, Name = "t_rb_bad" }).Dispose());
    }

    static void LocalStorage(BpfMapType type)
    {
        using BtfHandle btf = BtfHandle.Load(TestBtf.Build());
        var spec = new MapSpec
        {
            Type = type, KeySize = 4, ValueSize = TestBtf.ValueSize, MaxEntries = 0, Flags = MapCreateFlags.NoPrealloc, Name = NameFor(type),
            Btf = btf, BtfKeyTypeId = TestBtf.IntId, BtfValueTypeId = TestBtf.ValueStructId,
        };
        using BpfMap map = CreateChecked(spec);
        MapInfo info = map.GetInfo();
        Assert.Equal(btf.Id, info.BtfId);
        Assert.Equal(TestBtf.IntId, info.BtfKeyTypeId);
        Assert.Equal(TestBtf.ValueStructId, info.BtfValueTypeId);

        // Without BTF the kernel refuses a local storage map.
        AssertErrno(Errno.EINVAL, BpfCommand.MapCreate, () => BpfMap.Create(spec with { Btf = null, BtfKeyTypeId = 0, BtfValueTypeId = 0 }).Dispose());

        using var owner = OwnerOf(type, out IDisposable? keepAlive);
        using var _ = keepAlive;
        byte[] key = U32((uint)owner.Fd);
        byte[] value = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(value, 0x1234);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4), -5);
        var read = new byte[8];
        Assert.False(map.TryLookup(key, read));
        map.Update(key, value);
        Assert.True(map.TryLookup(key, read));
        Assert.Equal(value, read);
        AssertErrno(Errno.EEXIST, BpfCommand.MapUpdateElem, () => map.Update(key, value, MapUpdateFlags.NoExist));
        Assert.True(map.Delete(key));
        Assert.False(map.TryLookup(key, read));
    }

    sealed class FdOwner(int fd, IDisposable owner) : IDisposable
    {
        public int Fd { get; } = fd;
        public void Dispose() => owner.Dispose();
    }

    static FdOwner OwnerOf(BpfMapType type, out IDisposable? keepAlive)
    {
        keepAlive = null;
        switch (type)
        {
            case BpfMapType.SkStorage:
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                return new FdOwner(Native.FdOf(socket), socket);
            case BpfMapType.TaskStorage:
                var pidfd = Native.PidfdOfSelf();
                return new FdOwner(pidfd.Fd, pidfd);
            case BpfMapType.CgrpStorage:
                var cgroup = Native.Open("/sys/fs/cgroup/unified");
                return new FdOwner(cgroup.Fd, cgroup);
            default:
                string path = Path.Combine(Path.GetTempPath(), Kernel.UniqueName("inode_storage"));
                File.WriteAllText(path, "x");
                var file = Native.Open(path);
                keepAlive = new TempFile(path);
                return new FdOwner(file.Fd, file);
        }
    }

    sealed class TempFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }

    static void StructOps()
    {
        BtfSpec vmlinux = BtfSpec.LoadKernel();
        BtfType? value = vmlinux.Find("bpf_struct_ops_bpf_dummy_ops", BtfKind.Struct);
        Assert.True(value is not null, "vmlinux BTF has no struct bpf_struct_ops_bpf_dummy_ops: this kernel cannot host a bpf_dummy_ops struct_ops map");
        // The kernel wants a BTF fd alongside btf_vmlinux_value_type_id (normally the object's own BTF); any loaded BTF does.
        using BtfHandle btf = BtfHandle.Load(TestBtf.Build());
        AssertErrno(Errno.EINVAL, BpfCommand.MapCreate, () => BpfMap.Create(new MapSpec
        {
            Type = BpfMapType.StructOps, KeySize = 4, ValueSize = value.Size, MaxEntries = 1, Name = "t_no_btf", BtfVmlinuxValueTypeId = value.Id,
        }).Dispose());
        using BpfMap map = CreateChecked(new MapSpec
        {
            Type = BpfMapType.StructOps, KeySize = 4, ValueSize = value.Size, MaxEntries = 1, Name = "t_dummy_ops",
            BtfVmlinuxValueTypeId = value.Id, Btf = btf,
        });
        Assert.Equal(value.Id, map.GetInfo().BtfVmlinuxValueTypeId);
        // A value size that does not match the struct is refused.
        AssertErrno(Errno.EINVAL, BpfCommand.MapCreate, () => BpfMap.Create(new MapSpec
        {
            Type = BpfMapType.StructOps, KeySize = 4, ValueSize = value.Size + 8, MaxEntries = 1, Name = "t_bad_ops", BtfVmlinuxValueTypeId = value.Id, Btf = btf,
        }).Dispose());
    }

    static void Arena()
    {
        const uint pages = 4;
        using BpfMap map = CreateChecked(new MapSpec { Type = BpfMapType.Arena, MaxEntries = pages, Flags = MapCreateFlags.Mmapable, Name = "t_arena" });
        nuint length = (nuint)(pages * (uint)Environment.SystemPageSize);
        using (MappedMemory a = MappedMemory.Map(map.Fd, length, MemoryProtection.Read | MemoryProtection.Write))
        {
            // The first touch of a page from user space allocates it; the memory reads back what was written.
            ulong* words = (ulong*)a.Address;
            words[0] = 0xa5a5_0000_1111;
            words[Environment.SystemPageSize / 8 * 3] = 42;
            Assert.Equal(0xa5a5_0000_1111ul, words[0]);
            Assert.Equal(42ul, words[Environment.SystemPageSize / 8 * 3]);
            // An arena has one user address range: a second mapping elsewhere is refused.
            var e = Assert.Throws<BpfSyscallException>(() => MappedMemory.Map(map.Fd, length, MemoryProtection.Read | MemoryProtection.Write).Dispose());
            Assert.Equal(Errno.EINVAL, e.Errno);
        }
        // Without BPF_F_MMAPABLE an arena is refused.
        AssertErrno(Errno.EINVAL, BpfCommand.MapCreate, () => BpfMap.Create(new MapSpec { Type = BpfMapType.Arena, MaxEntries = pages, Name = "t_arena_bad" }).Dispose());
    }

    static void CgroupStorage(BpfMapType type)
    {
        using BpfMap map = CreateChecked(new MapSpec { Type = type, KeySize = (uint)sizeof(BpfCgroupStorageKey), ValueSize = 8, MaxEntries = 0, Name = NameFor(type) });
        Assert.Equal(16, sizeof(BpfCgroupStorageKey));
        // Storage exists only for (cgroup, attach type) pairs a program is attached to: none here.
        var key = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(key, 1);
        var v = new byte[map.UserValueSize];
        Assert.False(map.TryLookup(key, v));
        // It cannot be created from user space either: the update finds no storage for the key.
        AssertErrno(Errno.ENOENT, BpfCommand.MapUpdateElem, () => map.Update(key, v));
    }
}
