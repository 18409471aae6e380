using System.Buffers;
using BpfSharp.Btf;
using BpfSharp.Interop;

namespace BpfSharp;

/// <summary>
/// The running kernel's BTF: vmlinux (<c>/sys/kernel/btf/vmlinux</c>) and the split BTF of loaded modules.
/// </summary>
/// <remarks>
/// Kernels from 6.16 on let a process map vmlinux BTF read-only; then the spec reads the kernel's own pages in place
/// (no copy, no memory of ours). The mapping is made once per process and never unmapped, so every spec parsed
/// from it stays valid. Older kernels get the file read into memory.
/// </remarks>
public static class KernelBtf
{
    const string Directory = "/sys/kernel/btf";
    const string VmlinuxPath = Directory + "/vmlinux";
    const int MapPrivate = 0x02;
    const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    static readonly Lazy<BtfSpec> shared = new(() => LoadVmlinux());
    static readonly Lock mapping = new();
    static ReadOnlyMemory<byte>? mapped;
    static bool mapTried;

    /// <summary>vmlinux BTF, parsed once per process and shared (a <see cref="BtfSpec"/> is safe to read from many threads).</summary>
    public static BtfSpec Vmlinux => shared.Value;

    /// <summary>True when the kernel exposes its BTF.</summary>
    public static bool IsAvailable => File.Exists(VmlinuxPath);

    /// <summary>Parses vmlinux BTF afresh (mapped in place where the kernel allows it).</summary>
    /// <exception cref="FileNotFoundException">The kernel was built without BTF (CONFIG_DEBUG_INFO_BTF).</exception>
    public static BtfSpec LoadVmlinux() => MappedVmlinux() is { } memory ? BtfSpec.Parse(memory) : BtfSpec.LoadKernel();

    /// <summary>A module's split BTF on top of the shared <see cref="Vmlinux"/>.</summary>
    /// <exception cref="FileNotFoundException">The module is not loaded or has no BTF.</exception>
    public static BtfSpec LoadModule(string module) => BtfSpec.LoadKernelModule(module, Vmlinux);

    /// <summary>The loaded modules that expose BTF, sorted by name.</summary>
    public static IReadOnlyList<string> Modules => BtfSpec.KernelModulesWithBtf();

    static ReadOnlyMemory<byte>? MappedVmlinux()
    {
        lock (mapping)
        {
            if (!mapTried) (mapped, mapTried) = (TryMap(VmlinuxPath), true);
            return mapped;
        }
    }

    /// <summary>Maps a file read-only and private (what the kernel's BTF mmap demands); null when the kernel refuses.</summary>
    static unsafe ReadOnlyMemory<byte>? TryMap(string path)
    {
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return null;
        }
        if (length is <= 0 or > int.MaxValue) return null;
        ISyscalls syscalls = LinuxSyscalls.Instance;
        int fd = syscalls.Open(path, OpenReadOnlyCloseOnExec);
        if (fd < 0) return null;
        try
        {
            long address = syscalls.Mmap(null, (nuint)length, MemoryProtection.Read, MapPrivate, fd, 0);
            return address < 0 ? null : new PinnedBytes((byte*)address, (int)length).Memory;
        }
        finally
        {
            syscalls.Close(fd);
        }
    }

    /// <summary>Memory that never moves and is never freed (a mapping that lives as long as the process).</summary>
    sealed unsafe class PinnedBytes(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
