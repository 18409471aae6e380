namespace BpfSharp.Btf.Core;

/// <summary>
/// One high-level step of a CO-RE access: a named member (<paramref name="Name"/> set, <paramref name="TypeId"/> the
/// struct or union, <paramref name="Index"/> the member index), an array element or the root
/// (<paramref name="Name"/> null, <paramref name="TypeId"/> the element type, <paramref name="Index"/> the element index),
/// or for enum relocations the enumerator (<paramref name="TypeId"/> the enum).
/// </summary>
public readonly record struct CoreAccessor(uint TypeId, int Index, string? Name);
