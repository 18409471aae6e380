using BpfSharp.Interop.Netlink;

namespace BpfSharp.Links.Network;

/// <summary>
/// Network interfaces by name or index. Both are looked up in the calling thread's network namespace (use
/// <see cref="NetworkNamespace.Run{T}"/> for another one); an index is only meaningful in its namespace.
/// </summary>
public static class NetDevice
{
    /// <summary>Maximum length of an interface name (IFNAMSIZ − 1).</summary>
    public const int MaxNameLength = 15;

    /// <summary>The index of the interface called <paramref name="name"/> (<c>if_nametoindex</c>).</summary>
    /// <exception cref="ArgumentException">No such interface in this network namespace, or the name is longer than 15 bytes.</exception>
    public static int IndexOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameLength)
            throw new ArgumentException($"'{name}' is longer than the {MaxNameLength} bytes an interface name can have.", nameof(name));
        uint index = SocketNative.InterfaceIndex(name);
        return index != 0 ? (int)index
            : throw new ArgumentException($"there is no network interface '{name}' in this thread's network namespace " +
                "(ip link shows the interfaces; an interface moved into another namespace is visible only there).", nameof(name));
    }

    /// <summary>The name of interface <paramref name="ifIndex"/> (<c>if_indextoname</c>).</summary>
    /// <exception cref="ArgumentException">No interface has that index in this network namespace.</exception>
    public static string NameOf(int ifIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ifIndex);
        return SocketNative.InterfaceName((uint)ifIndex)
            ?? throw new ArgumentException($"there is no network interface with index {ifIndex} in this thread's network namespace.", nameof(ifIndex));
    }

    internal static void CheckIndex(int ifIndex)
    {
        if (ifIndex <= 0)
            throw new ArgumentOutOfRangeException(nameof(ifIndex), ifIndex, "an interface index is positive; NetDevice.IndexOf(name) finds it.");
    }
}
