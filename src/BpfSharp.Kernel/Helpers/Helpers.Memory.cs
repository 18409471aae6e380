using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

// Reading kernel and user memory the program does not own, and comparing strings.
public static unsafe partial class Helpers
{
    /// <summary><c>bpf_probe_read_user</c> (112): copies <paramref name="size"/> bytes from user address <paramref name="src"/>; 0 or a negative errno (<paramref name="dst"/> zeroed on error).</summary>
    [BpfHelper(112)]
    public static long ProbeReadUser(void* dst, uint size, void* src) => throw new BpfOnlyException("Helpers.ProbeReadUser");

    /// <summary><c>bpf_probe_read_kernel</c> (113): copies <paramref name="size"/> bytes from kernel address <paramref name="src"/>; 0 or a negative errno.</summary>
    [BpfHelper(113)]
    public static long ProbeReadKernel(void* dst, uint size, void* src) => throw new BpfOnlyException("Helpers.ProbeReadKernel");

    /// <summary><c>bpf_probe_read_user_str</c> (114): copies a NUL-terminated user string, at most <paramref name="size"/> bytes; its length with the NUL, or a negative errno.</summary>
    [BpfHelper(114)]
    public static long ProbeReadUserStr(void* dst, uint size, void* src) => throw new BpfOnlyException("Helpers.ProbeReadUserStr");

    /// <summary><c>bpf_probe_read_kernel_str</c> (115): copies a NUL-terminated kernel string; its length with the NUL, or a negative errno.</summary>
    [BpfHelper(115)]
    public static long ProbeReadKernelStr(void* dst, uint size, void* src) => throw new BpfOnlyException("Helpers.ProbeReadKernelStr");

    /// <summary>Reads a <typeparamref name="T"/> from user address <paramref name="src"/> into <paramref name="dst"/>; 0 or a negative errno.</summary>
    public static long ProbeReadUser<T>(ref T dst, void* src) where T : unmanaged => ProbeReadUser(Unsafe.AsPointer(ref dst), (uint)sizeof(T), src);

    /// <summary>Reads a <typeparamref name="T"/> from kernel address <paramref name="src"/> into <paramref name="dst"/>; 0 or a negative errno.</summary>
    public static long ProbeReadKernel<T>(ref T dst, void* src) where T : unmanaged => ProbeReadKernel(Unsafe.AsPointer(ref dst), (uint)sizeof(T), src);

    /// <summary>The <typeparamref name="T"/> at kernel address <paramref name="src"/>, or zero when it cannot be read.</summary>
    public static T ProbeReadKernel<T>(void* src) where T : unmanaged
    {
        T value = default;
        ProbeReadKernel(Unsafe.AsPointer(ref value), (uint)sizeof(T), src);
        return value;
    }

    /// <summary>The <typeparamref name="T"/> at user address <paramref name="src"/>, or zero when it cannot be read.</summary>
    public static T ProbeReadUser<T>(void* src) where T : unmanaged
    {
        T value = default;
        ProbeReadUser(Unsafe.AsPointer(ref value), (uint)sizeof(T), src);
        return value;
    }

    /// <summary>Copies a NUL-terminated user string into <paramref name="buf"/> (e.g. a byte <c>[InlineArray]</c>); its length with the NUL, or a negative errno.</summary>
    public static long ProbeReadUserStr<T>(ref T buf, void* src) where T : unmanaged => ProbeReadUserStr(Unsafe.AsPointer(ref buf), (uint)sizeof(T), src);

    /// <summary>Copies a NUL-terminated kernel string into <paramref name="buf"/>; its length with the NUL, or a negative errno.</summary>
    public static long ProbeReadKernelStr<T>(ref T buf, void* src) where T : unmanaged => ProbeReadKernelStr(Unsafe.AsPointer(ref buf), (uint)sizeof(T), src);

    /// <summary><c>bpf_strncmp</c> (182): compares <paramref name="s1"/> (at most <paramref name="s1Size"/> bytes) with the constant string <paramref name="s2"/> (in read-only data); like <c>strncmp</c>.</summary>
    [BpfHelper(182)]
    public static long Strncmp(byte* s1, uint s1Size, byte* s2) => throw new BpfOnlyException("Helpers.Strncmp");
}
