namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>Which parts of two <see cref="LoadedObjectSummary"/> values <see cref="LoadedObjectSummary.Compare"/> checks.</summary>
[Flags]
public enum SummaryFields
{
    None = 0,

    /// <summary>Loaded / kernel refused / loader refused, and the errno when both sides were refused by the kernel.</summary>
    Outcome = 1 << 0,

    /// <summary>The same map names (a map only one side has is always reported when any map field is compared).</summary>
    MapNames = 1 << 1,
    MapType = 1 << 2,
    /// <summary>Key size, value size, max entries.</summary>
    MapSizes = 1 << 3,
    MapFlags = 1 << 4,
    MapExtra = 1 << 5,
    /// <summary>Whether key/value BTF was attached, and a struct_ops map's vmlinux value type.</summary>
    MapBtf = 1 << 6,
    /// <summary>Contents of global-data maps (.data, .rodata, .kconfig …).</summary>
    MapContents = 1 << 7,

    /// <summary>The same program names (a program only one side has is always reported when any program field is compared).</summary>
    ProgramNames = 1 << 8,
    ProgramType = 1 << 9,
    /// <summary>Compared only when both sides report it.</summary>
    ExpectedAttachType = 1 << 10,
    /// <summary>Compared only when both sides report it.</summary>
    SubmittedInstructions = 1 << 11,
    XlatedInstructions = 1 << 12,
    /// <summary>The kernel's tag: identical submitted instructions.</summary>
    Tag = 1 << 13,
    /// <summary>GPL compatibility, func_info present, number of maps used.</summary>
    ProgramDetails = 1 << 14,

    AllMaps = MapNames | MapType | MapSizes | MapFlags | MapExtra | MapBtf | MapContents,
    AllPrograms = ProgramNames | ProgramType | ExpectedAttachType | SubmittedInstructions | XlatedInstructions | Tag | ProgramDetails,

    /// <summary>What the proof asks for: load result, map type/sizes/entries/flags, program type and instruction counts.</summary>
    Required = Outcome | MapNames | MapType | MapSizes | MapFlags | ProgramNames | ProgramType | SubmittedInstructions | XlatedInstructions,

    All = Outcome | AllMaps | AllPrograms,
}
