using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Types;
using BpfSharp.Objects;

namespace BpfSharp.Compiler.KernelApi;

/// <summary>
/// The table of program attributes: from an attribute's full type name and its decoded arguments to the ELF section,
/// the program type (by libbpf's SEC conventions) and the context parameter the method must take. Enum arguments
/// arrive as their underlying integers, as System.Reflection.Metadata decodes them; the numbers below are those of
/// the BpfSharp.Kernel enums (a test keeps them equal).
/// </summary>
public static class ProgramKinds
{
    static readonly ProgramContext Xdp = new("`XdpMd*` or `ref XdpMd`", [KernelTypeNames.XdpMd]);
    static readonly ProgramContext Skb = new("`SkBuff*` or `ref SkBuff`", [KernelTypeNames.SkBuff]);
    static readonly ProgramContext Sock = new("`BpfSock*` or `ref BpfSock`", [KernelTypeNames.BpfSock]);
    static readonly ProgramContext SockAddr = new("`BpfSockAddr*` or `ref BpfSockAddr`", [KernelTypeNames.BpfSockAddr]);
    static readonly ProgramContext Tracing = new("`ref TracingArgs`, `TracingArgs*` or `ulong*`", [KernelTypeNames.TracingArgs], AcceptsUInt64Pointer: true);
    static readonly ProgramContext Probe = new("`PtRegs*`, `ref PtRegs` or `void*`", [KernelTypeNames.PtRegs]);
    static readonly ProgramContext TracepointFormat = new(
        "a pointer or `ref` to a struct with the tracepoint's format (first field a TracepointCommon)", [], AcceptsAnyStruct: true);
    static readonly ProgramContext SyscallArgs = new("a pointer or `ref` to the struct of arguments passed with the test run", [], AcceptsAnyStruct: true);
    static readonly ProgramContext OpaqueVoid = new("`void*`", []);

    static readonly string[] CgroupSockSections = ["sock_create", "sock_release", "post_bind4", "post_bind6"];
    static readonly string[] CgroupSockAddrSections =
    [
        "bind4", "bind6", "connect4", "connect6", "connect_unix", "sendmsg4", "sendmsg6", "sendmsg_unix",
        "recvmsg4", "recvmsg6", "recvmsg_unix", "getpeername4", "getpeername6", "getpeername_unix",
        "getsockname4", "getsockname6", "getsockname_unix",
    ];
    static readonly string[] Directions = ["ingress", "egress"];

    /// <summary>Short names (without namespace) of the attributes this table knows.</summary>
    public static IReadOnlyList<string> AttributeNames { get; } =
    [
        "ProgramAttribute", "XdpAttribute", "SocketFilterAttribute", "TcAttribute", "TcxAttribute", "CgroupSkbAttribute",
        "CgroupSockAttribute", "CgroupSockAddrAttribute", "SkLookupAttribute", "TracepointAttribute",
        "RawTracepointAttribute", "TpBtfAttribute", "FentryAttribute", "FexitAttribute", "KprobeAttribute",
        "KretprobeAttribute", "UprobeAttribute", "UretprobeAttribute", "PerfEventAttribute", "SyscallAttribute",
    ];

    /// <summary>True when <paramref name="attributeFullName"/> is a BpfSharp.Kernel program attribute.</summary>
    public static bool IsProgramAttribute(string attributeFullName) =>
        attributeFullName.StartsWith(KernelTypeNames.Namespace + ".", StringComparison.Ordinal)
        && AttributeNames.Contains(attributeFullName[(KernelTypeNames.Namespace.Length + 1)..]);

    /// <summary>
    /// Resolves a program attribute. Returns false with a diagnostic (BPF0404, BPF0405) when its arguments make no
    /// section libbpf recognises. <paramref name="attributeFullName"/> must satisfy <see cref="IsProgramAttribute"/>.
    /// </summary>
    public static bool TryResolve(
        string attributeFullName, IReadOnlyList<object?> constructorArguments, IReadOnlyDictionary<string, object?> namedArguments,
        string programName, SourceLocation? location, out ProgramKind? kind, out Diagnostic? diagnostic)
    {
        kind = null;
        diagnostic = null;
        if (!IsProgramAttribute(attributeFullName))
            throw new ArgumentException($"'{attributeFullName}' is not a program attribute.", nameof(attributeFullName));

        var args = new Arguments(attributeFullName[(KernelTypeNames.Namespace.Length + 1)..^"Attribute".Length], constructorArguments, namedArguments);
        if (!args.TryInt("ExceptionReturn", out int exceptionReturn))
            return Fail(DiagnosticCatalog.BadProgramAttributeArgument, out diagnostic, location, programName, args.Error);

        (string? section, string kindName, ProgramContext? context) = Describe(args);
        if (section is null)
            return Fail(DiagnosticCatalog.BadProgramAttributeArgument, out diagnostic, location, programName, args.Error);

        SectionConvention? convention = SectionConventions.Find(section);
        if (convention is null)
            return Fail(DiagnosticCatalog.UnknownProgramSection, out diagnostic, location, programName, section);

        kind = new ProgramKind(section, convention, kindName, context ?? ContextOf(convention.ProgramType), exceptionReturn);
        return true;
    }

    /// <summary>As <see cref="TryResolve"/>, throwing <see cref="CompilationErrorException"/> with the diagnostic.</summary>
    public static ProgramKind Resolve(
        string attributeFullName, IReadOnlyList<object?> constructorArguments, IReadOnlyDictionary<string, object?> namedArguments,
        string programName, SourceLocation? location) =>
        TryResolve(attributeFullName, constructorArguments, namedArguments, programName, location, out ProgramKind? kind, out Diagnostic? diagnostic)
            ? kind!
            : throw new CompilationErrorException(diagnostic!);

    /// <summary>
    /// BPF0401 when a program's parameters cannot receive its context (more than one, or the wrong type) or its
    /// return type is not an integer, bool or enum; null when the signature fits.
    /// </summary>
    public static Diagnostic? CheckSignature(ProgramKind kind, string programName, IReadOnlyList<TypeModel> parameters, TypeModel returnType, SourceLocation? location)
    {
        bool returnsInteger = returnType switch
        {
            PrimitiveType p => p.Kind is not (PrimitiveKind.Void or PrimitiveKind.Single or PrimitiveKind.Double),
            EnumType => true,
            _ => false,
        };
        if (returnsInteger && kind.Context.Accepts(parameters))
            return null;
        string signature = $"{returnType.DisplayName} ({string.Join(", ", parameters.Select(p => p.DisplayName))})";
        return Diagnostic.Create(DiagnosticCatalog.BadProgramSignature, location, programName, signature, kind.KindName,
            $"{kind.Context.Description} (or no parameter) and returns an integer or an enum");
    }

    static (string? Section, string KindName, ProgramContext? Context) Describe(Arguments a) => a.Name switch
    {
        "Program" => (a.Text(0, "section", allowSlash: true), "custom-section", null),
        "Xdp" => (a.Flag("Frags") ? "xdp.frags" : "xdp", "XDP", Xdp),
        "SocketFilter" => ("socket", "socket filter", Skb),
        "Tc" => ("tc", "tc", Skb),
        "Tcx" => (a.Choice(0, "direction", Directions) is { } d ? "tcx/" + d : null, "tcx", Skb),
        "CgroupSkb" => (a.Choice(0, "direction", Directions) is { } d ? "cgroup_skb/" + d : null, "cgroup_skb", Skb),
        "CgroupSock" => (a.Choice(0, "hook", CgroupSockSections) is { } h ? "cgroup/" + h : null, "cgroup socket", Sock),
        "CgroupSockAddr" => (a.Choice(0, "hook", CgroupSockAddrSections) is { } h ? "cgroup/" + h : null, "cgroup socket-address", SockAddr),
        "SkLookup" => ("sk_lookup", "sk_lookup", OpaqueVoid),
        "Tracepoint" => (a.Text(0, "category") is { } c && a.Text(1, "name") is { } n ? $"tracepoint/{c}/{n}" : null, "tracepoint", TracepointFormat),
        "RawTracepoint" => (Targeted("raw_tracepoint", a.Text(0, "name")), "raw tracepoint", Tracing),
        "TpBtf" => (Targeted("tp_btf", a.Text(0, "name")), "tp_btf", Tracing),
        "Fentry" => (Targeted("fentry", a.Text(0, "function")), "fentry", Tracing),
        "Fexit" => (Targeted("fexit", a.Text(0, "function")), "fexit", Tracing),
        "Kprobe" => (a.OptionalTarget("kprobe"), "kprobe", Probe),
        "Kretprobe" => (a.OptionalTarget("kretprobe"), "kretprobe", Probe),
        "Uprobe" => (a.UprobeSection(a.Flag("Sleepable") ? "uprobe.s" : "uprobe"), "uprobe", Probe),
        "Uretprobe" => (a.UprobeSection(a.Flag("Sleepable") ? "uretprobe.s" : "uretprobe"), "uretprobe", Probe),
        "PerfEvent" => ("perf_event", "perf_event", OpaqueVoid),
        "Syscall" => ("syscall", "syscall", SyscallArgs),
        _ => throw new InvalidOperationException($"No section rule for [{a.Name}]."),
    };

    static string? Targeted(string prefix, string? target) => target is null ? null : prefix + "/" + target;

    /// <summary>The context of a program type reached through <c>[Program("section")]</c>.</summary>
    static ProgramContext ContextOf(BpfProgramType type) => type switch
    {
        BpfProgramType.Xdp => Xdp,
        BpfProgramType.SocketFilter or BpfProgramType.SchedCls or BpfProgramType.SchedAct or BpfProgramType.CgroupSkb
            or BpfProgramType.SkSkb or BpfProgramType.LwtIn or BpfProgramType.LwtOut or BpfProgramType.LwtXmit
            or BpfProgramType.LwtSeg6local or BpfProgramType.FlowDissector => Skb,
        BpfProgramType.CgroupSock => Sock,
        BpfProgramType.CgroupSockAddr => SockAddr,
        BpfProgramType.Kprobe => Probe,
        BpfProgramType.RawTracepoint or BpfProgramType.RawTracepointWritable or BpfProgramType.Tracing or BpfProgramType.Lsm => Tracing,
        BpfProgramType.Tracepoint => TracepointFormat,
        BpfProgramType.Syscall => SyscallArgs,
        _ => ProgramContext.Opaque,
    };

    static bool Fail(DiagnosticDescriptor descriptor, out Diagnostic? diagnostic, SourceLocation? location, params object?[] args)
    {
        diagnostic = Diagnostic.Create(descriptor, location, args);
        return false;
    }

    /// <summary>An attribute's decoded arguments with checked accessors; the first failure's explanation is kept in <see cref="Error"/>.</summary>
    sealed class Arguments(string name, IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> named)
    {
        public string Name { get; } = name;
        public string Error { get; private set; } = "";

        public string? Text(int index, string parameter, bool allowSlash = false)
        {
            string? value = index < positional.Count ? positional[index] as string : null;
            if (string.IsNullOrWhiteSpace(value))
                return Reject($"[{Name}]'s {parameter} is empty");
            if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                return Reject($"[{Name}]'s {parameter} \"{value}\" contains white space");
            if (!allowSlash && value.Contains('/'))
                return Reject($"[{Name}]'s {parameter} \"{value}\" contains '/', which separates the parts of a section name");
            return value;
        }

        public string? Choice(int index, string parameter, string[] sections)
        {
            long? value = index < positional.Count ? AsInteger(positional[index]) : null;
            return value is >= 0 && value < sections.Length
                ? sections[value.Value]
                : Reject($"[{Name}]'s {parameter} {positional.ElementAtOrDefault(index) ?? "null"} is not one of the enum's members");
        }

        /// <summary><c>PREFIX</c> without a constructor argument, else <c>PREFIX/FUNCTION</c>.</summary>
        public string? OptionalTarget(string prefix) =>
            positional.Count == 0 ? prefix : Text(0, "function") is { } f ? prefix + "/" + f : null;

        /// <summary><c>PREFIX</c>, or <c>PREFIX/BINARY:FUNCTION</c> (the binary is a path, so it may hold '/').</summary>
        public string? UprobeSection(string prefix)
        {
            if (positional.Count == 0) return prefix;
            if (Text(0, "binary", allowSlash: true) is not { } binary || Text(1, "function") is not { } function) return null;
            if (binary.Contains(':'))
                return Reject($"[{Name}]'s binary \"{binary}\" contains ':', which separates it from the function");
            return $"{prefix}/{binary}:{function}";
        }

        public bool Flag(string property) => named.TryGetValue(property, out object? v) && v is true;

        public bool TryInt(string property, out int value)
        {
            value = 0;
            if (!named.TryGetValue(property, out object? raw)) return true;
            if (AsInteger(raw) is long v && v is >= int.MinValue and <= int.MaxValue) { value = (int)v; return true; }
            Reject($"[{Name}]'s {property} {raw ?? "null"} is not an int");
            return false;
        }

        static long? AsInteger(object? value) => value switch
        {
            sbyte or byte or short or ushort or int or uint or long or Enum => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
            ulong u when u <= long.MaxValue => (long)u,
            _ => null,
        };

        string? Reject(string why)
        {
            if (Error.Length == 0) Error = why;
            return null;
        }
    }
}
