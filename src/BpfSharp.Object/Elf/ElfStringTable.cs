using System.Text;

namespace BpfSharp.Elf;

/// <summary>A string table section (<c>SHT_STRTAB</c>): NUL-terminated strings addressed by byte offset.</summary>
public readonly ref struct ElfStringTable
{
    readonly ReadOnlySpan<byte> data;
    readonly string sectionName;

    internal ElfStringTable(ReadOnlySpan<byte> data, string sectionName)
    {
        this.data = data;
        this.sectionName = sectionName;
    }

    /// <summary>The raw table.</summary>
    public ReadOnlySpan<byte> Data => data;

    /// <summary>The bytes of the string at <paramref name="offset"/>, without the terminating NUL.</summary>
    /// <exception cref="ElfFormatException">The offset is outside the table or the string has no NUL.</exception>
    public ReadOnlySpan<byte> GetBytes(uint offset, string user)
    {
        if (offset >= (uint)data.Length)
            throw new ElfFormatException(
                $"{user}: name offset {offset} is outside string table '{sectionName}' ({data.Length} bytes); the object is corrupt, recompile it.");
        ReadOnlySpan<byte> rest = data[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new ElfFormatException(
                $"{user}: the name at offset {offset} in string table '{sectionName}' is not NUL-terminated; the object is corrupt, recompile it.");
        return rest[..end];
    }

    /// <summary>The string at <paramref name="offset"/>; <paramref name="user"/> names what asked, for the error message.</summary>
    public string Get(uint offset, string user) => Encoding.UTF8.GetString(GetBytes(offset, user));
}
