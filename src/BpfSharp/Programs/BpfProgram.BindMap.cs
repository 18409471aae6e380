using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Programs;

public sealed partial class BpfProgram
{
    /// <summary>
    /// Ties <paramref name="map"/>'s lifetime to this program's (BPF_PROG_BIND_MAP) although no instruction uses it:
    /// it then shows among the program's maps (libbpf binds <c>.rodata</c> this way so tools can read metadata).
    /// </summary>
    public void BindMap(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        using FdLease program = Fd.Lease();
        using FdLease mapFd = map.Fd.Lease();
        var attr = new ProgBindMapAttr { ProgFd = (uint)program.Fd, MapFd = (uint)mapFd.Fd };
        BpfSyscall.InvokeChecked(Fd.Syscalls, BpfCommand.ProgBindMap, ref attr, $"binding {map} to program '{Name}'");
    }
}
