namespace BpfSharp.Btf.Dump;

/// <summary>The two text forms of BTF that bpftool prints.</summary>
public enum BtfDumpFormat
{
    /// <summary>One line per type with its encoding (<c>bpftool btf dump … format raw</c>).</summary>
    Raw,

    /// <summary>Compilable C declarations, a <c>vmlinux.h</c> (<c>bpftool btf dump … format c</c>).</summary>
    C,
}

/// <summary>One entry point for tools: a whole BTF, or some types of it together with what they depend on.</summary>
public static class BtfDumper
{
    /// <summary>
    /// Writes <paramref name="spec"/> in <paramref name="format"/>. With <paramref name="types"/> only those types and
    /// what they depend on are written: in raw form every type they reach (<see cref="BtfTypeSelection.WithDependencies"/>),
    /// in C what their definitions need to compile. <paramref name="options"/> apply to the C form.
    /// </summary>
    public static void Write(BtfSpec spec, TextWriter output, BtfDumpFormat format, IReadOnlyCollection<uint>? types = null, BtfCDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        switch (format)
        {
            case BtfDumpFormat.Raw when types is null:
                BtfRawDumper.Write(spec, output);
                break;
            case BtfDumpFormat.Raw:
                BtfRawDumper.Write(spec, output, BtfTypeSelection.WithDependencies(spec, [.. types]));
                break;
            case BtfDumpFormat.C when types is null:
                BtfCDumper.WriteHeader(spec, output, options);
                break;
            case BtfDumpFormat.C:
                BtfCDumper.WriteHeader(spec, output, types, options);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Raw or C.");
        }
    }
}
