namespace BpfSharp.Elf;

/// <summary>One entry of a note section (<c>SHT_NOTE</c>): owner name, type and descriptor bytes.</summary>
/// <param name="Name">The owner, e.g. <c>GNU</c> or <c>stapsdt</c>.</param>
/// <param name="Type"><c>n_type</c>, whose meaning depends on the owner.</param>
/// <param name="Descriptor">The note's payload.</param>
public sealed record ElfNote(string Name, uint Type, byte[] Descriptor);
