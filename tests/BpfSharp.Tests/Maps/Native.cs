using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Maps;

/// <summary>The few libc calls the map tests need beyond BpfSharp's seam (the runtime's Interop is not extended for tests).</summary>
static partial class Native
{
    const long PidfdOpenSyscall = 434; // the same number on x86-64 and the generic table (arm64, riscv64)

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseRaw(int fd);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long arg1, long arg2);

    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int GetPid();

    /// <summary>open(2) read-only (works for directories too); throws with errno on failure.</summary>
    public static OwnedFd Open(string path)
    {
        int fd = OpenRaw(path, 0);
        if (fd < 0) throw new IOException($"open('{path}') failed with errno {Marshal.GetLastPInvokeError()}");
        return new OwnedFd(fd);
    }

    /// <summary>pidfd_open(2) of this process.</summary>
    public static OwnedFd PidfdOfSelf()
    {
        long fd = Syscall(PidfdOpenSyscall, GetPid(), 0);
        if (fd < 0) throw new IOException($"pidfd_open failed with errno {Marshal.GetLastPInvokeError()}");
        return new OwnedFd((int)fd);
    }

    public sealed class OwnedFd(int fd) : IDisposable
    {
        public int Fd { get; private set; } = fd;

        public void Dispose()
        {
            if (Fd >= 0) CloseRaw(Fd);
            Fd = -1;
        }
    }

    /// <summary>The fd of a .NET socket (the runtime keeps it open while the Socket lives).</summary>
    public static int FdOf(Socket socket) => (int)socket.Handle;

    /// <summary>SO_COOKIE: the kernel's 64-bit id of a socket.</summary>
    public static ulong Cookie(Socket socket)
    {
        const int SolSocket = 1, SoCookie = 57;
        Span<byte> value = stackalloc byte[8];
        int n = socket.GetRawSocketOption(SolSocket, SoCookie, value);
        Assert.Equal(8, n);
        return BinaryPrimitives.ReadUInt64LittleEndian(value);
    }

    /// <summary>A connected pair of TCP sockets over loopback (client, server side).</summary>
    public sealed class TcpPair : IDisposable
    {
        public Socket Client { get; }
        public Socket Server { get; }

        public TcpPair()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Client.Connect(listener.LocalEndPoint!);
            Server = listener.Accept();
        }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }

    /// <summary>The fds this process holds now: all of them, and those that are BPF objects.</summary>
    public static (int All, int Bpf) CountFds()
    {
        int all = 0, bpf = 0;
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            all++;
            try
            {
                string? target = new FileInfo(entry).LinkTarget;
                if (target is not null && target.StartsWith("anon_inode:bpf", StringComparison.Ordinal)) bpf++;
            }
            catch (IOException) { } // the enumeration's own fd is gone by now
        }
        return (all, bpf);
    }
}

/// <summary>Small programs built with the assembler for the tests.</summary>
static class TestPrograms
{
    /// <summary>A socket filter that returns <paramref name="value"/>.</summary>
    public static BpfProgram Returning(int value, string name) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.SocketFilter,
        Name = name,
        Instructions = new Assembler().Mov(R0, value).Exit().Build(),
    });

    /// <summary>A socket filter that tail-calls slot <paramref name="index"/> of <paramref name="array"/> and otherwise returns <paramref name="fallthrough"/>.</summary>
    public static BpfProgram TailCalling(BpfSharp.Maps.ProgramArray array, int index, int fallthrough, string name) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.SocketFilter,
        Name = name,
        Instructions = new Assembler()
            // r1 = ctx already
            .LoadMapFd(R2, array.Map.Fd.RawValue)
            .Mov(R3, index)
            .Call((int)BpfHelperId.TailCall)
            .Mov(R0, fallthrough)
            .Exit()
            .Build(),
    });

    /// <summary>A minimal packet for socket-filter test runs (an Ethernet header and some payload).</summary>
    public static byte[] Packet() => new byte[64];
}
