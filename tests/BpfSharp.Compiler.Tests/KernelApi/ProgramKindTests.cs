using Xunit;

using BpfSharp.Abi;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.KernelApi;
using BpfSharp.Compiler.Types;
using BpfSharp.Kernel;
using BpfSharp.Objects;

namespace BpfSharp.Compiler.Tests.KernelApi;

public class ProgramKindTests
{
    static readonly Dictionary<string, object?> NoNamed = [];

    static ProgramKind Resolve(string attribute, object?[] positional, Dictionary<string, object?>? named = null) =>
        ProgramKinds.Resolve("BpfSharp.Kernel." + attribute, positional, named ?? NoNamed, "Prog", null);

    static Diagnostic Reject(string attribute, object?[] positional, Dictionary<string, object?>? named = null)
    {
        Assert.False(ProgramKinds.TryResolve("BpfSharp.Kernel." + attribute, positional, named ?? NoNamed, "Prog", null, out _, out Diagnostic? d));
        return d!;
    }

    // Attribute, constructor arguments, named arguments → section, program type, expected attach type.
    public static TheoryData<string, object?[], string?, string, BpfProgramType, BpfAttachType?> Cases => new()
    {
        { "XdpAttribute", [], null, "xdp", BpfProgramType.Xdp, BpfAttachType.Xdp },
        { "XdpAttribute", [], "Frags", "xdp.frags", BpfProgramType.Xdp, BpfAttachType.Xdp },
        { "SocketFilterAttribute", [], null, "socket", BpfProgramType.SocketFilter, null },
        { "TcAttribute", [], null, "tc", BpfProgramType.SchedCls, null },
        { "TcxAttribute", [(int)TrafficDirection.Ingress], null, "tcx/ingress", BpfProgramType.SchedCls, BpfAttachType.TcxIngress },
        { "TcxAttribute", [(int)TrafficDirection.Egress], null, "tcx/egress", BpfProgramType.SchedCls, BpfAttachType.TcxEgress },
        { "CgroupSkbAttribute", [(int)TrafficDirection.Ingress], null, "cgroup_skb/ingress", BpfProgramType.CgroupSkb, BpfAttachType.CgroupInetIngress },
        { "CgroupSkbAttribute", [(int)TrafficDirection.Egress], null, "cgroup_skb/egress", BpfProgramType.CgroupSkb, BpfAttachType.CgroupInetEgress },
        { "CgroupSockAttribute", [(int)CgroupSockHook.Create], null, "cgroup/sock_create", BpfProgramType.CgroupSock, BpfAttachType.CgroupInetSockCreate },
        { "CgroupSockAttribute", [(int)CgroupSockHook.PostBind6], null, "cgroup/post_bind6", BpfProgramType.CgroupSock, BpfAttachType.CgroupInet6PostBind },
        { "CgroupSockAddrAttribute", [(int)CgroupSockAddrHook.Connect4], null, "cgroup/connect4", BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect },
        { "CgroupSockAddrAttribute", [(int)CgroupSockAddrHook.GetSockNameUnix], null, "cgroup/getsockname_unix", BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupUnixGetsockname },
        { "SkLookupAttribute", [], null, "sk_lookup", BpfProgramType.SkLookup, BpfAttachType.SkLookup },
        { "TracepointAttribute", ["syscalls", "sys_enter_openat"], null, "tracepoint/syscalls/sys_enter_openat", BpfProgramType.Tracepoint, null },
        { "RawTracepointAttribute", ["sched_switch"], null, "raw_tracepoint/sched_switch", BpfProgramType.RawTracepoint, null },
        { "TpBtfAttribute", ["sched_switch"], null, "tp_btf/sched_switch", BpfProgramType.Tracing, BpfAttachType.TraceRawTp },
        { "FentryAttribute", ["do_unlinkat"], null, "fentry/do_unlinkat", BpfProgramType.Tracing, BpfAttachType.TraceFentry },
        { "FexitAttribute", ["do_unlinkat"], null, "fexit/do_unlinkat", BpfProgramType.Tracing, BpfAttachType.TraceFexit },
        { "KprobeAttribute", [], null, "kprobe", BpfProgramType.Kprobe, null },
        { "KprobeAttribute", ["do_unlinkat"], null, "kprobe/do_unlinkat", BpfProgramType.Kprobe, null },
        { "KretprobeAttribute", ["do_unlinkat"], null, "kretprobe/do_unlinkat", BpfProgramType.Kprobe, null },
        { "UprobeAttribute", [], null, "uprobe", BpfProgramType.Kprobe, null },
        { "UprobeAttribute", ["/usr/lib/libc.so.6", "malloc"], null, "uprobe//usr/lib/libc.so.6:malloc", BpfProgramType.Kprobe, null },
        { "UprobeAttribute", [], "Sleepable", "uprobe.s", BpfProgramType.Kprobe, null },
        { "UretprobeAttribute", ["/bin/bash", "readline"], null, "uretprobe//bin/bash:readline", BpfProgramType.Kprobe, null },
        { "PerfEventAttribute", [], null, "perf_event", BpfProgramType.PerfEvent, null },
        { "SyscallAttribute", [], null, "syscall", BpfProgramType.Syscall, null },
        { "ProgramAttribute", ["sk_skb/stream_verdict"], null, "sk_skb/stream_verdict", BpfProgramType.SkSkb, BpfAttachType.SkSkbStreamVerdict },
        { "ProgramAttribute", ["flow_dissector"], null, "flow_dissector", BpfProgramType.FlowDissector, BpfAttachType.FlowDissector },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Each_attribute_gives_a_section_libbpf_maps_to_the_expected_program_type(
        string attribute, object?[] positional, string? flag, string section, BpfProgramType type, BpfAttachType? attach)
    {
        Dictionary<string, object?> named = flag is null ? [] : new() { [flag] = true };
        ProgramKind kind = Resolve(attribute, positional, named);

        Assert.Equal(section, kind.Section);
        SectionConvention convention = SectionConventions.Find(kind.Section)!;
        Assert.Equal(type, convention.ProgramType);
        Assert.Equal(attach, convention.ExpectedAttachType);
        Assert.Equal(type, kind.ProgramType);
    }

    [Fact]
    public void Sleepable_and_frags_flags_reach_the_load_flags()
    {
        Assert.Equal(ProgramLoadFlags.XdpHasFrags, Resolve("XdpAttribute", [], new() { ["Frags"] = true }).Convention.LoadFlags);
        Assert.Equal(ProgramLoadFlags.Sleepable, Resolve("UprobeAttribute", [], new() { ["Sleepable"] = true }).Convention.LoadFlags);
        Assert.Equal((ProgramLoadFlags)0, Resolve("XdpAttribute", []).Convention.LoadFlags);
    }

    [Fact]
    public void Every_program_attribute_of_the_kernel_assembly_is_in_the_table()
    {
        string[] attributes = [.. typeof(ProgramAttribute).Assembly.GetTypes()
            .Where(t => typeof(ProgramAttribute).IsAssignableFrom(t))
            .Select(t => t.Name).Order()];
        Assert.Equal(attributes, ProgramKinds.AttributeNames.Order());
        Assert.All(attributes, a => Assert.True(ProgramKinds.IsProgramAttribute("BpfSharp.Kernel." + a)));
        Assert.False(ProgramKinds.IsProgramAttribute("BpfSharp.Kernel.MapAttribute"));
        Assert.False(ProgramKinds.IsProgramAttribute("Other.XdpAttribute"));
    }

    // The compiler mirrors the kernel enums by number; each member must give the section its name says.
    [Fact]
    public void Every_enum_member_of_an_attribute_gives_its_own_section()
    {
        static string Squash(string s) => s.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        foreach (CgroupSockAddrHook hook in Enum.GetValues<CgroupSockAddrHook>())
            Assert.Equal("cgroup/" + Squash(hook.ToString()), Squash(Resolve("CgroupSockAddrAttribute", [(int)hook]).Section));
        foreach (CgroupSockHook hook in Enum.GetValues<CgroupSockHook>())
            Assert.EndsWith(Squash(hook.ToString()), Squash(Resolve("CgroupSockAttribute", [(int)hook]).Section), StringComparison.Ordinal);
        foreach (TrafficDirection direction in Enum.GetValues<TrafficDirection>())
        {
            Assert.Equal("tcx/" + Squash(direction.ToString()), Resolve("TcxAttribute", [(int)direction]).Section);
            Assert.Equal("cgroup_skb/" + Squash(direction.ToString()), Resolve("CgroupSkbAttribute", [(int)direction]).Section);
        }
        // Enums decoded by reflection arrive boxed as the enum itself.
        Assert.Equal("cgroup/bind6", Resolve("CgroupSockAddrAttribute", [CgroupSockAddrHook.Bind6]).Section);
    }

    [Fact]
    public void ExceptionReturn_is_zero_unless_given()
    {
        Assert.Equal(0, Resolve("XdpAttribute", []).ExceptionReturn);
        Assert.Equal(2, Resolve("XdpAttribute", [], new() { ["ExceptionReturn"] = (int)XdpAction.Pass }).ExceptionReturn);
        Assert.Equal(-1, Resolve("TracepointAttribute", ["a", "b"], new() { ["ExceptionReturn"] = -1 }).ExceptionReturn);
    }

    [Theory]
    [InlineData("TracepointAttribute", new object?[] { "syscalls", "" }, "name is empty")]
    [InlineData("TracepointAttribute", new object?[] { "sys/calls", "x" }, "contains '/'")]
    [InlineData("TracepointAttribute", new object?[] { null, "x" }, "category is empty")]
    [InlineData("FentryAttribute", new object?[] { "do unlink" }, "white space")]
    [InlineData("KprobeAttribute", new object?[] { "" }, "function is empty")]
    [InlineData("UprobeAttribute", new object?[] { "/bin/a:b", "f" }, "contains ':'")]
    [InlineData("TcxAttribute", new object?[] { 7 }, "not one of the enum's members")]
    [InlineData("CgroupSockAttribute", new object?[] { -1 }, "not one of the enum's members")]
    [InlineData("ProgramAttribute", new object?[] { " " }, "section is empty")]
    public void Bad_arguments_give_BPF0404_naming_the_argument(string attribute, object?[] positional, string why)
    {
        Diagnostic d = Reject(attribute, positional);
        Assert.Equal("BPF0404", d.Id);
        Assert.Contains("'Prog'", d.Message, StringComparison.Ordinal);
        Assert.Contains(why, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_integer_ExceptionReturn_gives_BPF0404()
    {
        Diagnostic d = Reject("XdpAttribute", [], new() { ["ExceptionReturn"] = "x" });
        Assert.Equal("BPF0404", d.Id);
        Assert.Contains("ExceptionReturn", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("xdp/bogus")]
    [InlineData("tracepoints/a/b")]
    public void A_section_libbpf_does_not_know_gives_BPF0405(string section)
    {
        Diagnostic d = Reject("ProgramAttribute", [section]);
        Assert.Equal("BPF0405", d.Id);
        Assert.Contains($"'{section}'", d.Message, StringComparison.Ordinal);
        var ex = Assert.Throws<CompilationErrorException>(() => Resolve("ProgramAttribute", [section]));
        Assert.Equal("BPF0405", ex.Diagnostic.Id);
    }

    [Fact]
    public void A_type_that_is_not_a_program_attribute_is_a_caller_error()
    {
        Assert.Throws<ArgumentException>(() => Resolve("MapAttribute", []));
    }

    static StructType KernelStruct(string name) => new(name, "BpfSharp.Kernel", []);
    static readonly PrimitiveType Int = new(PrimitiveKind.Int32);
    static readonly PrimitiveType Void = new(PrimitiveKind.Void);

    [Fact]
    public void Signature_check_accepts_the_context_by_pointer_or_ref_or_nothing()
    {
        ProgramKind xdp = Resolve("XdpAttribute", []);
        var xdpMd = KernelStruct("XdpMd");
        var action = new EnumType("XdpAction", "BpfSharp.Kernel", Int, []);
        Assert.Null(ProgramKinds.CheckSignature(xdp, "P", [new PointerType(xdpMd)], Int, null));
        Assert.Null(ProgramKinds.CheckSignature(xdp, "P", [new ByRefType(xdpMd)], action, null));
        Assert.Null(ProgramKinds.CheckSignature(xdp, "P", [new PointerType(Void)], Int, null));
        Assert.Null(ProgramKinds.CheckSignature(xdp, "P", [], new PrimitiveType(PrimitiveKind.Int64), null));

        ProgramKind tracepoint = Resolve("TracepointAttribute", ["syscalls", "sys_enter_openat"]);
        Assert.Null(ProgramKinds.CheckSignature(tracepoint, "P", [new ByRefType(new StructType("SysEnterOpenat", "User", []))], Int, null));

        ProgramKind rawTp = Resolve("RawTracepointAttribute", ["sched_switch"]);
        Assert.Null(ProgramKinds.CheckSignature(rawTp, "P", [new PointerType(new PrimitiveType(PrimitiveKind.UInt64))], Int, null));
        Assert.Null(ProgramKinds.CheckSignature(rawTp, "P", [new ByRefType(KernelStruct("TracingArgs"))], Int, null));
    }

    [Fact]
    public void Signature_check_rejects_the_wrong_context_extra_parameters_and_non_integer_returns()
    {
        ProgramKind xdp = Resolve("XdpAttribute", []);
        var xdpMd = new PointerType(KernelStruct("XdpMd"));

        Diagnostic? wrong = ProgramKinds.CheckSignature(xdp, "Count", [new PointerType(KernelStruct("SkBuff"))], Int, null);
        Assert.Equal("BPF0401", wrong?.Id);
        Assert.Contains("Program 'Count' has signature int (SkBuff*); a XDP program takes `XdpMd*` or `ref XdpMd`", wrong!.Message, StringComparison.Ordinal);

        Assert.NotNull(ProgramKinds.CheckSignature(xdp, "P", [xdpMd, Int], Int, null));
        Assert.NotNull(ProgramKinds.CheckSignature(xdp, "P", [Int], Int, null));
        Assert.NotNull(ProgramKinds.CheckSignature(xdp, "P", [new ByRefType(Void)], Int, null));
        Assert.NotNull(ProgramKinds.CheckSignature(xdp, "P", [new PointerType(new PrimitiveType(PrimitiveKind.UInt64))], Int, null));
        Assert.NotNull(ProgramKinds.CheckSignature(xdp, "P", [xdpMd], Void, null));
        Assert.NotNull(ProgramKinds.CheckSignature(xdp, "P", [xdpMd], new PrimitiveType(PrimitiveKind.Double), null));
        Assert.NotNull(ProgramKinds.CheckSignature(xdp, "P", [new PointerType(new StructType("XdpMd", "User", []))], Int, null));
    }
}
