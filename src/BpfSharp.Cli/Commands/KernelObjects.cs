using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// Every program, map and link in the kernel, opened by id in id order (BPF_*_GET_NEXT_ID, BPF_*_GET_FD_BY_ID). An
/// object that disappears between listing and opening is skipped; the caller disposes what it gets.
/// </summary>
static class KernelObjects
{
    public static IEnumerable<BpfProgram> Programs() => Open(BpfProgram.EnumerateIds(), id => BpfProgram.FromId(id));

    public static IEnumerable<BpfMap> Maps() => Open(BpfMap.EnumerateIds(), id => BpfMap.FromId(id));

    public static IEnumerable<BpfLink> Links() => Open(BpfLink.EnumerateIds(), id => BpfLink.FromId(id));

    static IEnumerable<T> Open<T>(IReadOnlyList<uint> ids, Func<uint, T> open)
    {
        foreach (uint id in ids)
        {
            T opened;
            try
            {
                opened = open(id);
            }
            catch (BpfSyscallException e) when (e.Errno == Errno.ENOENT)
            {
                continue; // released since it was listed
            }
            yield return opened;
        }
    }
}
