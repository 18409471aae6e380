using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

using BpfSharp.Btf;
using BpfSharp.Kernel;

namespace BpfSharp.Compiler.Tests.KernelApi;

/// <summary>The context structs must lay out exactly as the running kernel's BTF says (vmlinux).</summary>
public class ContextLayoutTests
{
    static readonly Lazy<BtfSpec> Vmlinux = new(BtfSpec.LoadKernel);

    public static TheoryData<string> KernelStructs
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (Type t in KernelStructTypes())
                data.Add(t.Name);
            return data;
        }
    }

    static IEnumerable<Type> KernelStructTypes() =>
        typeof(BpfMap).Assembly.GetTypes().Where(t => t.GetCustomAttribute<KernelStructAttribute>() is not null)
            // pt_regs differs per architecture; PtRegs is the x86-64 one.
            .Where(t => t != typeof(PtRegs) || RuntimeInformation.ProcessArchitecture == Architecture.X64);

    [Fact]
    public void The_contexts_users_need_are_all_marked()
    {
        string[] names = [.. typeof(BpfMap).Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<KernelStructAttribute>()?.Name).OfType<string>().Order()];
        Assert.Equal(["__sk_buff", "bpf_sock", "bpf_sock_addr", "pt_regs", "trace_entry", "xdp_md"], names);
    }

    [Theory, MemberData(nameof(KernelStructs))]
    public void Fields_sizes_and_offsets_equal_the_kernels(string typeName)
    {
        Type type = typeof(BpfMap).Assembly.GetTypes().Single(t => t.Name == typeName);
        string cName = type.GetCustomAttribute<KernelStructAttribute>()!.Name;
        BtfSpec btf = Vmlinux.Value;
        BtfType kernel = btf.Find(cName, BtfKind.Struct) ?? throw new InvalidOperationException($"vmlinux has no struct {cName}");

        List<(string Name, long Offset, long Size)> kernelFields = [];
        Flatten(btf, kernel, 0, kernelFields);

        Assert.Equal(kernel.Size, (uint)SizeOf(type));
        FieldInfo[] fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        foreach (FieldInfo field in fields)
        {
            long offset = Marshal.OffsetOf(type, field.Name);
            var match = kernelFields.Where(k => Squash(k.Name) == Squash(field.Name)).ToList();
            Assert.True(match.Count == 1, $"{type.Name}.{field.Name}: no member of struct {cName} by that name");
            Assert.True(match[0].Offset == offset, $"{type.Name}.{field.Name} at {offset}, {cName}.{match[0].Name} at {match[0].Offset}");
            Assert.True(match[0].Size == SizeOf(field.FieldType), $"{type.Name}.{field.Name} is {SizeOf(field.FieldType)} bytes, {cName}.{match[0].Name} {match[0].Size}");
        }
        // No kernel member left out (union alternatives share an offset with the field that stands for them).
        HashSet<long> covered = [.. fields.Select(f => (long)Marshal.OffsetOf(type, f.Name))];
        Assert.All(kernelFields, k => Assert.True(covered.Contains(k.Offset), $"{cName}.{k.Name} at {k.Offset} has no field in {type.Name}"));
    }

    // Members of anonymous structs and unions are the struct's own; a member of an anonymous union is sized as the union.
    static void Flatten(BtfSpec btf, BtfType composite, long baseOffset, List<(string, long, long)> into, long? unionSize = null)
    {
        foreach (BtfMember m in composite.Members)
        {
            long offset = baseOffset + m.BitOffset / 8;
            BtfType memberType = btf.SkipModifiers(m.TypeId);
            if (m.Name.Length == 0 && memberType.IsComposite)
                Flatten(btf, memberType, offset, into, memberType.Kind == BtfKind.Union ? unionSize ?? memberType.Size : unionSize);
            else
                into.Add((m.Name, offset, unionSize ?? btf.SizeOf(m.TypeId)));
        }
    }

    static string Squash(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    static int SizeOf(Type t) => t.IsPointer ? IntPtr.Size
        : (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;

    [Fact]
    public unsafe void Tracing_args_and_packet_pointers_read_what_the_layout_says()
    {
        ulong* args = stackalloc ulong[3] { 10, 20, 30 };
        ref TracingArgs a = ref Unsafe.AsRef<TracingArgs>(args);
        Assert.Equal(30ul, a.Arg(2));
        Assert.Equal((nuint)20, (nuint)a.ArgPointer(1));

        uint* xdp = stackalloc uint[6] { 0x1000, 0x1040, 0x0ff0, 7, 1, 0 };
        ref XdpMd md = ref Unsafe.AsRef<XdpMd>(xdp);
        Assert.Equal((nuint)0x1000, (nuint)md.Data);
        Assert.Equal((nuint)0x1040, (nuint)md.DataEnd);
        Assert.Equal((nuint)0x0ff0, (nuint)md.DataMeta);
        Assert.Equal(7u, md.IngressIfindex);

        var skb = new SkBuff();
        uint* raw = (uint*)&skb;
        raw[Marshal.OffsetOf<SkBuff>("data").ToInt32() / 4] = 0x2000;
        raw[Marshal.OffsetOf<SkBuff>("dataEnd").ToInt32() / 4] = 0x2100;
        Assert.Equal(0x100, (int)(skb.DataEnd - skb.Data));
    }

    [Fact]
    public void Tracepoint_header_matches_the_format_files_common_fields()
    {
        // /sys/kernel/tracing/events/*/*/format lists common_type:0/2, common_flags:2/1, common_preempt_count:3/1, common_pid:4/4.
        Assert.Equal(8, Unsafe.SizeOf<TracepointCommon>());
        Assert.Equal(2, (int)Marshal.OffsetOf<TracepointCommon>(nameof(TracepointCommon.Flags)));
        Assert.Equal(3, (int)Marshal.OffsetOf<TracepointCommon>(nameof(TracepointCommon.PreemptCount)));
        Assert.Equal(4, (int)Marshal.OffsetOf<TracepointCommon>(nameof(TracepointCommon.Pid)));
    }

    [Fact]
    public void Action_enums_have_the_kernels_values()
    {
        BtfType xdpAction = Vmlinux.Value.Find("xdp_action", BtfKind.Enum)!;
        foreach (BtfEnumValue v in xdpAction.EnumValues)
            Assert.Equal(v.Value, (long)Enum.Parse<XdpAction>(Squash(v.Name["XDP_".Length..]), ignoreCase: true));
        Assert.Equal(xdpAction.EnumValues.Count, Enum.GetValues<XdpAction>().Length);
        // TC_ACT_* are #defines, not in BTF: read them from the UAPI header.
        var defines = System.Text.RegularExpressions.Regex.Matches(
                File.ReadAllText("/usr/include/linux/pkt_cls.h"), @"#define\s+TC_ACT_(\w+)\s+\(?(-?\d+)\)?")
            .ToDictionary(m => Squash(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (TcAction action in Enum.GetValues<TcAction>())
            Assert.Equal(defines[Squash(action.ToString())], (int)action);
        Assert.Equal(10, Enum.GetValues<TcAction>().Length);
    }
}
