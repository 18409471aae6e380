namespace BpfSharp.Btf.Dump;

/// <summary>Choices for <see cref="BtfCDumper"/> where bpftool versions write different text.</summary>
public sealed record BtfCDumpOptions
{
    /// <summary>The text of bpftool 7.1 as Debian builds it (libbpf from the Linux 6.1 tree): the default.</summary>
    public static BtfCDumpOptions Default { get; } = new();

    /// <summary>
    /// Marks enums whose size is not C's default with <c>__attribute__((mode(byte)))</c> or
    /// <c>__attribute__((mode(word)))</c>, as libbpf 1.1 and later do, so that structs embedding them keep their BTF
    /// layout. Off by default: bpftool 7.1 (Linux 6.1's libbpf) does not write them.
    /// </summary>
    public bool EnumSizeAttributes { get; init; }
}
