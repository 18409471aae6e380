namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>What a field of the input means, which decides the values a mutation writes into it.</summary>
enum FieldRole
{
    /// <summary>A magic number or version.</summary>
    Magic,
    /// <summary>The length of a header.</summary>
    HeaderLength,
    /// <summary>Where a section or table starts.</summary>
    SectionOffset,
    /// <summary>How long a section or table is.</summary>
    SectionLength,
    /// <summary>An offset into a string table.</summary>
    Name,
    /// <summary>BTF <c>info</c>: kind, kind_flag and vlen packed.</summary>
    Info,
    /// <summary>A size (or, for BTF, the size-or-type union).</summary>
    Size,
    /// <summary>A reference to another type (or section, symbol) by index.</summary>
    TypeRef,
    /// <summary>An element count.</summary>
    Count,
    /// <summary>Any other value (bit offsets, enum values, flags).</summary>
    Value,
}

/// <summary>A 32-bit field of a valid input: where it is, what it means, and which record (type id, section index) owns it.</summary>
readonly record struct Field(int Offset, FieldRole Role, uint Owner, string? Label = null);

/// <summary>
/// The structure of one valid input, found by a format scanner: its fields, where its records start, and how many
/// records there are. Mutations aim at these fields; a format without a scanner gets an empty map and is fuzzed
/// byte-wise only.
/// </summary>
sealed class FieldMap
{
    public List<Field> Fields { get; } = [];

    /// <summary>Offsets where records (BTF types, ELF section headers) start, in order.</summary>
    public List<int> RecordStarts { get; } = [];

    /// <summary>Number of records (for BTF: types including void), the range of valid references.</summary>
    public uint RecordCount { get; set; }

    /// <summary>End of the structured part (header + records); bytes after it are tables such as strings.</summary>
    public int StructuredEnd { get; set; }

    /// <summary>Length of the string table, the range of valid names.</summary>
    public uint StringsLength { get; set; }

    public string Describe(Field f) => f.Label ?? $"{f.Role} of record {f.Owner}";
}
