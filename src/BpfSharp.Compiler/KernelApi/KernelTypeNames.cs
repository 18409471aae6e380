namespace BpfSharp.Compiler.KernelApi;

/// <summary>Full names of the BpfSharp.Kernel types the compiler recognises by name (it does not reference that assembly).</summary>
public static class KernelTypeNames
{
    public const string Namespace = "BpfSharp.Kernel";
    public const string BpfModuleAttribute = Namespace + ".BpfModuleAttribute";
    public const string MapAttribute = Namespace + ".MapAttribute";
    public const string BpfHelperAttribute = Namespace + ".BpfHelperAttribute";
    public const string BpfKfuncAttribute = Namespace + ".BpfKfuncAttribute";
    public const string BpfMapTypeAttribute = Namespace + ".BpfMapTypeAttribute";
    public const string KernelStructAttribute = Namespace + ".KernelStructAttribute";
    public const string ProgramAttribute = Namespace + ".ProgramAttribute";
    public const string BpfMap = Namespace + ".BpfMap";
    public const string BpfOnlyException = Namespace + ".BpfOnlyException";

    // Context structs, matched against StructType.Namespace + "." + StructType.Name.
    public const string XdpMd = Namespace + ".XdpMd";
    public const string SkBuff = Namespace + ".SkBuff";
    public const string BpfSock = Namespace + ".BpfSock";
    public const string BpfSockAddr = Namespace + ".BpfSockAddr";
    public const string TracingArgs = Namespace + ".TracingArgs";
    public const string PtRegs = Namespace + ".PtRegs";
}
