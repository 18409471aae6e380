using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

using BpfSharp.Abi;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.KernelApi;

/// <summary>Helper ids and map types of BpfSharp.Kernel against the generated kernel ABI, and the CLR behaviour of the leaves.</summary>
public class HelperTableTests
{
    static IEnumerable<MethodInfo> HelperLeaves() =>
        typeof(Helpers).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.GetCustomAttribute<BpfHelperAttribute>() is not null);

    [Fact]
    public void Every_helper_id_is_the_kernels_id_of_that_name()
    {
        List<MethodInfo> leaves = [.. HelperLeaves()];
        Assert.True(leaves.Count >= 60, $"only {leaves.Count} helpers");
        foreach (MethodInfo m in leaves)
        {
            Assert.True(Enum.TryParse(m.Name, ignoreCase: true, out BpfHelperId id), $"Helpers.{m.Name} names no BpfHelperId");
            Assert.Equal((int)id, m.GetCustomAttribute<BpfHelperAttribute>()!.Id);
        }
    }

    [Fact]
    public void The_helpers_the_issue_lists_exist()
    {
        string[] required =
        [
            "MapLookupElem", "MapUpdateElem", "MapDeleteElem", "KtimeGetNs", "KtimeGetBootNs", "GetCurrentPidTgid",
            "GetCurrentUidGid", "GetCurrentComm", "GetCurrentTask", "GetSmpProcessorId", "GetPrandomU32", "ProbeReadKernel",
            "ProbeReadUser", "ProbeReadKernelStr", "ProbeReadUserStr", "TracePrintk", "TailCall", "Redirect", "XdpAdjustHead",
            "XdpAdjustTail", "SkbLoadBytes", "SkbStoreBytes", "L3CsumReplace", "L4CsumReplace", "CsumDiff", "GetStackId",
            "SendSignal", "Loop", "RingBufReserve", "RingBufSubmit", "RingBufDiscard", "RingBufOutput", "PerfEventOutput",
        ];
        HashSet<string> names = [.. HelperLeaves().Select(m => m.Name)];
        Assert.All(required, r => Assert.Contains(r, names));
    }

    // A helper call passes at most five arguments in r1–r5; a string format counts twice (address and size).
    [Fact]
    public void Every_helper_fits_in_five_registers_with_register_sized_types()
    {
        foreach (MethodInfo m in HelperLeaves())
        {
            ParameterInfo[] ps = m.GetParameters();
            Assert.True(ps.Sum(p => p.ParameterType == typeof(string) ? 2 : 1) <= 5, $"Helpers.{m.Name} takes too many arguments");
            foreach (ParameterInfo p in ps)
                Assert.True(IsRegisterType(p.ParameterType) || p.ParameterType == typeof(BpfMap)
                    || (p.ParameterType == typeof(string) && m.Name == nameof(Helpers.TracePrintk)),
                    $"Helpers.{m.Name}({p.Name}) has type {p.ParameterType}");
            Assert.True(m.ReturnType == typeof(void) || IsRegisterType(m.ReturnType), $"Helpers.{m.Name} returns {m.ReturnType}");
        }
    }

    static bool IsRegisterType(Type t) =>
        t.IsPointer || t.IsFunctionPointer || t == typeof(long) || t == typeof(ulong) || t == typeof(int) || t == typeof(uint);

    [Fact]
    public void Every_helper_leaf_throws_BpfOnlyException_naming_itself_on_the_CLR()
    {
        foreach (MethodInfo m in HelperLeaves())
        {
            object?[] args = [.. m.GetParameters().Select(p => p.ParameterType == typeof(string) ? "fmt" : DefaultOf(p.ParameterType))];
            var ex = Assert.Throws<TargetInvocationException>(() => m.Invoke(null, args));
            var bpfOnly = Assert.IsType<BpfOnlyException>(ex.InnerException);
            Assert.Contains($"Helpers.{m.Name} runs only inside an eBPF program", bpfOnly.Message, StringComparison.Ordinal);
        }
    }

    static object? DefaultOf(Type t) => t.IsPointer || t.IsFunctionPointer ? IntPtr.Zero
        : t.IsValueType ? Activator.CreateInstance(t) : null;

    [Fact]
    public unsafe void Wrappers_reach_the_leaves_on_the_CLR()
    {
        var hash = (HashMap<uint, ulong>)RuntimeHelpers.GetUninitializedObject(typeof(HashMap<uint, ulong>));
        Assert.Throws<BpfOnlyException>(() => { hash.Lookup(1); });
        Assert.Throws<BpfOnlyException>(() => hash.Update(1, 2));
        Assert.Throws<BpfOnlyException>(() => hash.Delete(1));
        var array = (ArrayMap<ulong>)RuntimeHelpers.GetUninitializedObject(typeof(ArrayMap<ulong>));
        Assert.Throws<BpfOnlyException>(() => { array.Lookup(0); });
        var ring = (RingBuf)RuntimeHelpers.GetUninitializedObject(typeof(RingBuf));
        Assert.Throws<BpfOnlyException>(() => { ring.Reserve<ulong>(); });
        Assert.Throws<BpfOnlyException>(() => ring.Output(5ul));
        var queue = (QueueMap<int>)RuntimeHelpers.GetUninitializedObject(typeof(QueueMap<int>));
        int v = 0;
        Assert.Throws<BpfOnlyException>(() => queue.Pop(ref v));
        ulong comm = 0;
        Assert.Throws<BpfOnlyException>(() => Helpers.GetCurrentComm(ref comm));
        Assert.Throws<BpfOnlyException>(() => Helpers.ProbeReadKernel<ulong>((void*)0));
        Assert.Throws<BpfOnlyException>(() => Helpers.TracePrintk("x %d", 1));
    }

    // Map class → the kernel map type it must declare.
    static readonly Dictionary<Type, BpfMapType> MapTypes = new()
    {
        [typeof(HashMap<,>)] = BpfMapType.Hash,
        [typeof(LruHashMap<,>)] = BpfMapType.LruHash,
        [typeof(PerCpuHashMap<,>)] = BpfMapType.PerCpuHash,
        [typeof(LruPerCpuHashMap<,>)] = BpfMapType.LruPerCpuHash,
        [typeof(ArrayMap<>)] = BpfMapType.Array,
        [typeof(PerCpuArrayMap<>)] = BpfMapType.PerCpuArray,
        [typeof(RingBuf)] = BpfMapType.RingBuf,
        [typeof(PerfEventArray)] = BpfMapType.PerfEventArray,
        [typeof(ProgramArray)] = BpfMapType.ProgArray,
        [typeof(QueueMap<>)] = BpfMapType.Queue,
        [typeof(StackMap<>)] = BpfMapType.Stack,
        [typeof(StackTraceMap<>)] = BpfMapType.StackTrace,
        [typeof(DevMap)] = BpfMapType.DevMap,
        [typeof(CpuMap)] = BpfMapType.CpuMap,
        [typeof(XskMap)] = BpfMapType.XskMap,
    };

    [Fact]
    public void Every_map_class_declares_the_kernels_map_type_and_a_consistent_key_rule()
    {
        Type[] maps = [.. typeof(BpfMap).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(BpfMap)) && !t.IsAbstract)];
        // Abstract bases (KeyedMap, PerCpuKeyedMap) only share methods: no map type, no way for users to derive.
        foreach (Type shared in typeof(BpfMap).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(BpfMap)) && t.IsAbstract))
        {
            Assert.Null(shared.GetCustomAttribute<BpfMapTypeAttribute>());
            Assert.DoesNotContain(shared.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic), c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly);
        }
        Assert.Equal(MapTypes.Keys.OrderBy(t => t.Name), maps.OrderBy(t => t.Name));
        foreach (Type map in maps)
        {
            BpfMapTypeAttribute a = map.GetCustomAttribute<BpfMapTypeAttribute>()!;
            Assert.Equal((int)MapTypes[map], a.MapType);
            Assert.True(map.IsSealed, map.Name);
            Assert.DoesNotContain(map.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic), c => c.IsPublic || c.IsFamily);
            int arity = map.GetGenericArguments().Length;
            // Key and value come from type arguments (BpfMapTypeAttribute's rule): the flags only make sense where they apply.
            Assert.False(a.NoKey && arity != 1, $"{map.Name}: NoKey needs exactly one type argument");
            Assert.False(a.UInt32KeyAndValue && arity != 0, $"{map.Name}: UInt32KeyAndValue needs no type argument");
        }
        Assert.Empty(typeof(BpfMap).GetConstructors());
    }
}
