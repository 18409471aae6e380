using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Features;

/// <summary>
/// What the running kernel supports: map types, program types, and helpers per program type. Each answer comes from
/// a probe (creating a tiny map, loading a tiny program) and is cached for the life of the process, per syscall seam;
/// the methods are thread-safe. A probe that fails for a reason other than "not supported" (EPERM without the
/// needed capabilities, ENOMEM …) throws <see cref="BpfSyscallException"/> and caches nothing.
/// </summary>
public static class KernelFeatures
{
    static readonly ConditionalWeakTable<ISyscalls, Cache> caches = new();
    static readonly Lazy<string> release = new(ReadRelease);

    /// <summary>The running kernel's release (<c>/proc/sys/kernel/osrelease</c>), e.g. <c>6.18.1</c>; "unknown" when unreadable.</summary>
    public static string KernelRelease => release.Value;

    /// <summary>True when the kernel can create maps of <paramref name="type"/>.</summary>
    /// <param name="syscalls">The seam to probe through (default: the real kernel); each seam has its own cache.</param>
    public static bool IsMapTypeSupported(BpfMapType type, ISyscalls? syscalls = null)
    {
        ISyscalls s = syscalls ?? LinuxSyscalls.Instance;
        return For(s).Get(For(s).MapTypes, type, () => MapProbe.IsSupported(type, s));
    }

    /// <summary>True when the kernel can load programs of <paramref name="type"/>.</summary>
    /// <remarks>
    /// Tracing, LSM, extension and struct_ops programs need an attach target to load; for those a verifier complaint
    /// about the missing target counts as "supported" (see docs/features.md). Where the kernel refuses such loads
    /// with EPERM (trampolines disabled), this throws rather than answering.
    /// </remarks>
    public static bool IsProgramTypeSupported(BpfProgramType type, ISyscalls? syscalls = null)
    {
        ISyscalls s = syscalls ?? LinuxSyscalls.Instance;
        return For(s).Get(For(s).ProgramTypes, type, () => ProgramProbe.IsProgramTypeSupported(type, s));
    }

    /// <summary>True when programs of <paramref name="type"/> may call <paramref name="helper"/>; false also when the program type is unsupported.</summary>
    /// <exception cref="InvalidOperationException">The verifier stopped before the helper call (a type whose programs need an attach target the probe cannot supply).</exception>
    public static bool IsHelperSupported(BpfProgramType type, BpfHelperId helper, ISyscalls? syscalls = null)
    {
        ISyscalls s = syscalls ?? LinuxSyscalls.Instance;
        Cache cache = For(s);
        return cache.Get(cache.Helpers, (type, helper), () => ProgramProbe.IsHelperSupported(type, helper, s));
    }

    /// <summary>Throws <see cref="BpfNotSupportedException"/> unless the kernel supports maps of <paramref name="type"/>.</summary>
    public static void RequireMapType(BpfMapType type, ISyscalls? syscalls = null)
    {
        if (!IsMapTypeSupported(type, syscalls))
            throw new BpfNotSupportedException($"The running kernel ({KernelRelease}) does not support map type {Describe(type)}.");
    }

    /// <summary>Throws <see cref="BpfNotSupportedException"/> unless the kernel supports programs of <paramref name="type"/>.</summary>
    public static void RequireProgramType(BpfProgramType type, ISyscalls? syscalls = null)
    {
        if (!IsProgramTypeSupported(type, syscalls))
            throw new BpfNotSupportedException($"The running kernel ({KernelRelease}) does not support program type {Describe(type)}.");
    }

    /// <summary>Throws <see cref="BpfNotSupportedException"/> unless programs of <paramref name="type"/> may call <paramref name="helper"/>.</summary>
    public static void RequireHelper(BpfProgramType type, BpfHelperId helper, ISyscalls? syscalls = null)
    {
        if (!IsHelperSupported(type, helper, syscalls))
            throw new BpfNotSupportedException(
                $"The running kernel ({KernelRelease}) does not let {Describe(type)} programs call helper {ProgramProbe.HelperName(helper)}.");
    }

    static string Describe<T>(T value) where T : struct, Enum
    {
        ulong number = Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        return Enum.IsDefined(value) ? $"{value} ({number})" : $"#{number} (unknown to BpfSharp)";
    }

    static Cache For(ISyscalls syscalls) => caches.GetValue(syscalls, _ => new Cache());

    static string ReadRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>The answers for one syscall seam. Probes run one at a time; a probe that throws stores nothing.</summary>
    sealed class Cache
    {
        readonly Lock probing = new();
        public readonly ConcurrentDictionary<BpfMapType, bool> MapTypes = new();
        public readonly ConcurrentDictionary<BpfProgramType, bool> ProgramTypes = new();
        public readonly ConcurrentDictionary<(BpfProgramType, BpfHelperId), bool> Helpers = new();

        public bool Get<TKey>(ConcurrentDictionary<TKey, bool> answers, TKey key, Func<bool> probe) where TKey : notnull
        {
            if (answers.TryGetValue(key, out bool known)) return known;
            lock (probing)
            {
                if (answers.TryGetValue(key, out known)) return known;
                bool answer = probe();
                answers[key] = answer;
                return answer;
            }
        }
    }
}
