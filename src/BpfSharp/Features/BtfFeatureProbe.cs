using System.Runtime.CompilerServices;
using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Interop;

namespace BpfSharp.Features;

/// <summary>
/// Which BTF kinds the running kernel accepts, each probed by loading the smallest BTF that uses it (BPF_BTF_LOAD).
/// Answers are cached per syscall seam for the life of the process; the methods are thread-safe. A probe refused
/// for a reason other than "invalid BTF" (EPERM without CAP_BPF, ENOMEM …) throws <see cref="BpfSyscallException"/>
/// and caches nothing. Feed the result to <see cref="BtfSanitizer.Sanitize"/> before loading an object's BTF.
/// </summary>
public static class BtfFeatureProbe
{
    static readonly ConditionalWeakTable<ISyscalls, Cache> caches = new();

    static readonly BtfKernelSupport[] Features =
    [
        BtfKernelSupport.Btf, BtfKernelSupport.Func, BtfKernelSupport.GlobalFunc, BtfKernelSupport.DataSection,
        BtfKernelSupport.QuestionMarkDataSection, BtfKernelSupport.Float, BtfKernelSupport.DeclTag,
        BtfKernelSupport.TypeTag, BtfKernelSupport.Enum64,
    ];

    /// <summary>Everything the kernel supports, every feature probed (at most once per seam).</summary>
    public static BtfKernelSupport Supported(ISyscalls? syscalls = null)
    {
        var all = BtfKernelSupport.None;
        foreach (BtfKernelSupport feature in Features)
            if (IsSupported(feature, syscalls)) all |= feature;
        return all;
    }

    /// <summary>True when the kernel accepts BTF that uses <paramref name="feature"/> (a single flag).</summary>
    public static bool IsSupported(BtfKernelSupport feature, ISyscalls? syscalls = null)
    {
        if (!Features.Contains(feature))
            throw new ArgumentException($"{feature} is not one BTF feature; ask for one flag at a time.", nameof(feature));
        ISyscalls s = syscalls ?? LinuxSyscalls.Instance;
        Cache cache = caches.GetValue(s, _ => new Cache());
        lock (cache)
        {
            if (cache.Answers.TryGetValue(feature, out bool known)) return known;
            bool answer = Loads(ProbeFor(feature), s);
            cache.Answers[feature] = answer;
            return answer;
        }
    }

    /// <summary>Sanitizes <paramref name="spec"/> for what the running kernel supports.</summary>
    public static BtfSpec SanitizeForKernel(BtfSpec spec, ISyscalls? syscalls = null) => BtfSanitizer.Sanitize(spec, Supported(syscalls));

    /// <summary>EINVAL means the kernel found the BTF invalid, i.e. does not know the kind; anything else is not an answer.</summary>
    static bool Loads(byte[] blob, ISyscalls syscalls)
    {
        try
        {
            using BtfHandle handle = BtfHandle.Load(blob, syscalls);
            return true;
        }
        catch (BpfSyscallException e) when (e.Errno == Errno.EINVAL)
        {
            return false;
        }
    }

    /// <summary>The smallest BTF that needs <paramref name="feature"/> and nothing newer (the shapes libbpf probes with).</summary>
    internal static byte[] ProbeFor(BtfKernelSupport feature)
    {
        var b = new BtfBuilder();
        switch (feature)
        {
            case BtfKernelSupport.Btf:
                b.AddInt("int", 4, signed: true);
                break;
            case BtfKernelSupport.Func or BtfKernelSupport.GlobalFunc:
            {
                // void x(int a) {}
                uint i = b.AddInt("int", 4, signed: true);
                uint proto = b.AddFuncProto(0, [("a", i)]);
                b.AddFunc("x", proto, feature == BtfKernelSupport.GlobalFunc ? BtfLinkage.Global : BtfLinkage.Static);
                break;
            }
            case BtfKernelSupport.DataSection or BtfKernelSupport.QuestionMarkDataSection:
            {
                // static int x; in section .data (or ?.data)
                uint i = b.AddInt("", 4, signed: true);
                uint x = b.AddVar("x", i, BtfLinkage.Static);
                b.AddDataSection(feature == BtfKernelSupport.DataSection ? ".data" : "?.data", 4, new BtfSectionVariable(x, 0, 4));
                break;
            }
            case BtfKernelSupport.Float:
                b.AddFloat("float", 4);
                break;
            case BtfKernelSupport.DeclTag:
            {
                uint i = b.AddInt("", 4, signed: true);
                uint x = b.AddVar("x", i, BtfLinkage.Static);
                b.AddDeclTag("tag", x);
                break;
            }
            case BtfKernelSupport.TypeTag:
            {
                uint i = b.AddInt("", 4, signed: true);
                uint tag = b.AddTypeTag("tag", i);
                b.AddPointer(tag);
                break;
            }
            case BtfKernelSupport.Enum64:
                b.AddEnum64("enum64", 8, signed: false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(feature), feature, null);
        }
        return b.Build();
    }

    sealed class Cache
    {
        public readonly Dictionary<BtfKernelSupport, bool> Answers = [];
    }
}
