namespace BpfSharp.Links.Network;

/// <summary>Which way through an interface a tc program sees packets.</summary>
public enum TcDirection
{
    /// <summary>Packets the interface receives, before the IP stack.</summary>
    Ingress,
    /// <summary>Packets the interface sends, after routing and before the driver.</summary>
    Egress,
}
