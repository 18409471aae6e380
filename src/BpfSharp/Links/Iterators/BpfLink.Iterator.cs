using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links;

public sealed unsafe partial class BpfLink
{
    /// <summary>
    /// Attaches an iterator program (SEC("iter/KIND"): loaded with BPF_TRACE_ITER against <c>bpf_iter_KIND</c>) as an
    /// iterator link over <paramref name="target"/>. Each <see cref="OpenIterator"/> then runs one pass over the objects.
    /// </summary>
    public static BpfLink Iterator(BpfProgram program, IteratorTarget target = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        string what = target.IsEverything ? $"{program} as iterator" : $"{program} as iterator over {target}";
        var info = new BpfIterLinkInfo();
        using SafeHandleLease targetLease = target.Fill(ref info);
        using FdLease p = program.Fd.Lease();
        var attr = new LinkCreateAttr { ProgFd = p.UFd, AttachType = (uint)BpfAttachType.TraceIter };
        if (!target.IsEverything)
        {
            attr.IterInfo = (ulong)&info;
            attr.IterInfoLen = (uint)sizeof(BpfIterLinkInfo);
        }
        return new BpfLink(BpfSyscall.InvokeForFd(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr, $"attaching {what}"), what);
    }

    /// <summary>
    /// Starts one pass of this iterator link (BPF_ITER_CREATE): a read-only stream of what the program writes with
    /// <c>bpf_seq_printf</c>/<c>bpf_seq_write</c>, read as text (<see cref="IteratorStream.ReadAllText"/>) or as fixed-size records.
    /// </summary>
    public IteratorStream OpenIterator()
    {
        ThrowIfNotBpfLink("open an iterator on");
        using FdLease link = Fd.Lease();
        var attr = new IterCreateAttr { LinkFd = link.UFd };
        return new IteratorStream(BpfSyscall.InvokeForFd(Fd.Syscalls, BpfCommand.IterCreate, ref attr, $"starting a pass of iterator {Description}"), Description);
    }

    /// <summary>One pass of the iterator, as text.</summary>
    public string ReadIteratorText()
    {
        using IteratorStream stream = OpenIterator();
        return stream.ReadAllText();
    }

    /// <summary>One pass of the iterator as records of <typeparamref name="T"/> (the program writes each with bpf_seq_write).</summary>
    public IEnumerable<T> ReadIteratorRecords<T>() where T : unmanaged
    {
        using IteratorStream stream = OpenIterator();
        foreach (T record in stream.Records<T>()) yield return record;
    }
}
