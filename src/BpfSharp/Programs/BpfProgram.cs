using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Programs;

/// <summary>A program loaded into the kernel. Disposing closes its fd; attachments and pins keep it alive.</summary>
public sealed unsafe partial class BpfProgram : IDisposable
{
    const int ENOSPC = 28;
    const int MaxLogSize = 256 * 1024 * 1024;

    BpfProgram(BpfFileDescriptor fd, BpfProgramType type, string name, string verifierLog)
    {
        Fd = fd;
        Type = type;
        Name = name;
        VerifierLog = verifierLog;
    }

    public BpfFileDescriptor Fd { get; }
    public BpfProgramType Type { get; }
    public string Name { get; }
    /// <summary>The verifier's log of a successful load when a log level was asked for; otherwise empty.</summary>
    public string VerifierLog { get; }
    public string? PinnedPath { get; private set; }

    /// <summary>
    /// Loads a program (BPF_PROG_LOAD). A rejection throws <see cref="BpfVerifierException"/> with the verifier log
    /// (captured on a retry when no log was asked for) and the decisive lines in its message.
    /// </summary>
    public static BpfProgram Load(ProgramLoadOptions options, ISyscalls? syscalls = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        syscalls ??= LinuxSyscalls.Instance;
        string name = options.Name ?? options.Type.ToString();
        var instructions = new Instruction[options.Instructions.Count];
        for (int i = 0; i < instructions.Length; i++) instructions[i] = options.Instructions[i];
        byte[] code = InstructionEncoder.Encode(instructions);

        var handles = new List<SafeHandle>();
        try
        {
            uint btfFd = AddRef(options.Btf?.Fd, handles);
            uint attachFd = AddRef(options.AttachProgram?.Fd, handles);
            int[] fdArray = options.FdArray is { } maps ? new int[maps.Count] : [];
            for (int i = 0; i < fdArray.Length; i++) fdArray[i] = (int)AddRef(options.FdArray![i].Fd, handles);

            fixed (byte* insns = code)
            fixed (byte* license = BpfSyscall.NullTerminated(options.License))
            fixed (byte* funcInfo = options.FuncInfo.Span)
            fixed (byte* lineInfo = options.LineInfo.Span)
            fixed (int* fds = fdArray)
            {
                var attr = new ProgLoadAttr
                {
                    ProgType = (uint)options.Type,
                    InsnCnt = (uint)(code.Length / 8),
                    Insns = (ulong)insns,
                    License = (ulong)license,
                    KernVersion = options.KernelVersion,
                    ProgFlags = (uint)options.Flags,
                    ProgIfindex = options.IfIndex,
                    ExpectedAttachType = options.ExpectedAttachType is { } t ? (uint)t : 0,
                    ProgBtfFd = btfFd,
                    AttachBtfId = options.AttachBtfId,
                    AttachProgFd = attachFd,
                    FdArray = fdArray.Length > 0 ? (ulong)fds : 0,
                };
                if (!options.FuncInfo.IsEmpty)
                {
                    attr.FuncInfo = (ulong)funcInfo;
                    attr.FuncInfoRecSize = options.FuncInfoRecordSize;
                    attr.FuncInfoCnt = (uint)options.FuncInfo.Length / options.FuncInfoRecordSize;
                }
                if (!options.LineInfo.IsEmpty)
                {
                    attr.LineInfo = (ulong)lineInfo;
                    attr.LineInfoRecSize = options.LineInfoRecordSize;
                    attr.LineInfoCnt = (uint)options.LineInfo.Length / options.LineInfoRecordSize;
                }
                BpfSyscall.WriteObjectName(attr.ProgName, options.Name);

                if (options.LogLevel == 0)
                {
                    int r = BpfSyscall.Invoke(syscalls, BpfCommand.ProgLoad, ref attr);
                    if (r >= 0) return new BpfProgram(new BpfFileDescriptor(r, syscalls), options.Type, name, "");
                    if (r != -(int)Errno.EACCES && r != -(int)Errno.EINVAL)
                        throw Rejected(-r, name, "", instructions, options);
                }
                return LoadWithLog(syscalls, ref attr, options, name, instructions);
            }
        }
        finally
        {
            foreach (SafeHandle h in handles) h.DangerousRelease();
        }
    }

    static BpfProgram LoadWithLog(ISyscalls syscalls, ref ProgLoadAttr attr, ProgramLoadOptions options, string name, Instruction[] instructions)
    {
        int size = Math.Max(options.LogSize, 4096);
        while (true)
        {
            byte[] log = GC.AllocateUninitializedArray<byte>(size);
            log[0] = 0;
            int r;
            fixed (byte* l = log)
            {
                attr.LogLevel = options.LogLevel == 0 ? 1 : options.LogLevel;
                attr.LogBuf = (ulong)l;
                attr.LogSize = (uint)size;
                attr.LogTrueSize = 0;
                r = BpfSyscall.Invoke(syscalls, BpfCommand.ProgLoad, ref attr);
                attr.LogBuf = 0;
            }
            // ENOSPC: the program may be fine but the log did not fit; the kernel (6.4+) says how much it needs.
            if (r == -ENOSPC && size < MaxLogSize)
            {
                size = attr.LogTrueSize > size ? (int)Math.Min(attr.LogTrueSize, (uint)MaxLogSize) : Math.Min(size * 4, MaxLogSize);
                continue;
            }
            string text = ReadLog(log);
            if (r >= 0) return new BpfProgram(new BpfFileDescriptor(r, syscalls), options.Type, name, options.LogLevel == 0 ? "" : text);
            throw Rejected(-r, name, text, instructions, options);
        }
    }

    static BpfVerifierException Rejected(int errno, string name, string log, Instruction[] instructions, ProgramLoadOptions options)
    {
        string? source = null;
        int slot = Programs.VerifierLog.FailingInstruction(log);
        if (slot >= 0)
        {
            int index = InstructionList.SlotToIndex(instructions, slot);
            if (index >= 0 && index < instructions.Length && instructions[index].Source is { } s)
                source = $"{s.File}:{s.Line}" + (string.IsNullOrEmpty(s.LineText) ? "" : $": {s.LineText.Trim()}");
        }
        return new BpfVerifierException(errno, name, log, Programs.VerifierLog.Decisive(log), source,
            TrampolineRefusal.Explain(options.Type, options.ExpectedAttachType, errno, log));
    }

    static string ReadLog(byte[] log)
    {
        int end = Array.IndexOf(log, (byte)0);
        return System.Text.Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd('\n');
    }

    static uint AddRef(SafeHandle? handle, List<SafeHandle> taken)
    {
        if (handle is null) return 0;
        bool added = false;
        handle.DangerousAddRef(ref added);
        taken.Add(handle);
        return (uint)(int)handle.DangerousGetHandle();
    }

    /// <summary>Wraps an fd of an existing program (taking ownership).</summary>
    public static BpfProgram FromFd(BpfFileDescriptor fd)
    {
        var info = new BpfProgramInfo();
        try { BpfSyscall.GetInfo(fd, ref info); }
        catch { fd.Dispose(); throw; }
        return new BpfProgram(fd, (BpfProgramType)info.Type, BpfSyscall.ReadObjectName(info.Name), "");
    }

    public static BpfProgram OpenPinned(string path, ISyscalls? syscalls = null)
    {
        BpfProgram p = FromFd(BpfSyscall.OpenPinned(syscalls ?? LinuxSyscalls.Instance, path));
        p.PinnedPath = path;
        return p;
    }

    public static BpfProgram FromId(uint id, ISyscalls? syscalls = null) =>
        FromFd(BpfSyscall.OpenById(syscalls ?? LinuxSyscalls.Instance, BpfCommand.ProgGetFdById, id));

    /// <summary>The ids of every program in the kernel (BPF_PROG_GET_NEXT_ID).</summary>
    public static IReadOnlyList<uint> EnumerateIds(ISyscalls? syscalls = null) =>
        BpfSyscall.EnumerateIds(syscalls ?? LinuxSyscalls.Instance, BpfCommand.ProgGetNextId);

    public void Pin(string path)
    {
        BpfSyscall.Pin(Fd, path);
        PinnedPath = path;
    }

    public void Unpin()
    {
        if (PinnedPath is null) throw new InvalidOperationException($"program '{Name}' is not pinned by this handle.");
        File.Delete(PinnedPath);
        PinnedPath = null;
    }

    public void Dispose() => Fd.Dispose();

    public override string ToString() => $"program '{Name}' {Type}";
}
