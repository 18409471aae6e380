using BpfSharp.Abi;
using BpfSharp.Maps;

namespace BpfSharp.Links.StructOps;

/// <summary>
/// A struct_ops map registered the legacy way: writing the value of a map created without BPF_F_LINK (a
/// <c>SEC(".struct_ops")</c> variable) registers it; deleting its element unregisters it. Disposing unregisters.
/// Made by <c>BpfObject.RegisterStructOps</c>. It holds its own fd of the map, so it can unregister after the object
/// that made it is disposed (a registered map lives on in the kernel until unregistered, fds or not).
/// </summary>
public sealed class StructOpsRegistration : IDisposable
{
    readonly BpfMap map;
    bool done;

    /// <summary>Takes ownership of <paramref name="map"/>, an fd of the registered map of its own.</summary>
    internal StructOpsRegistration(BpfMap map) => this.map = map;

    /// <summary>The registered map.</summary>
    public BpfMap Map => map;

    /// <summary>Unregisters now (BPF_MAP_DELETE_ELEM of key 0).</summary>
    public void Unregister()
    {
        ObjectDisposedException.ThrowIf(done, this);
        try
        {
            if (!map.Delete(stackalloc byte[4]))
                throw new InvalidOperationException($"struct_ops {map} is not registered (any more).");
        }
        finally
        {
            done = true;
            map.Dispose();
        }
    }

    public void Dispose()
    {
        if (done) return;
        try { map.Delete(stackalloc byte[4]); }
        // already unregistered and being freed (EINPROGRESS), or never registered (ENOTSUPP)
        catch (BpfSyscallException e) when (e.Errno == Errno.EINPROGRESS || (int)e.Errno == ErrnoNames.ENOTSUPP) { }
        finally
        {
            done = true;
            map.Dispose();
        }
    }

    public override string ToString() => $"struct_ops {map} (registered)";
}
