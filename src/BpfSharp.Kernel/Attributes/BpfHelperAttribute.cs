namespace BpfSharp.Kernel;

/// <summary>
/// Marks a static method as a kernel helper: a call compiles to <c>call ID</c>, each argument in r1–r5, the
/// result from r0. Such a method's C# body only runs on the CLR, where it throws.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class BpfHelperAttribute(int id) : Attribute
{
    /// <summary>The helper id (<c>enum bpf_func_id</c>).</summary>
    public int Id { get; } = id;
}

/// <summary>
/// Marks a static method as a kfunc: a call compiles to a kfunc call resolved by name against the kernel's BTF
/// at load time. Arguments and result as for helpers.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class BpfKfuncAttribute(string name) : Attribute
{
    /// <summary>The kernel function's name, e.g. <c>bpf_dynptr_from_skb</c>.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Marks a map class: the compiler gives a <see cref="MapAttribute">[Map]</see> field of it this map type. Key and value come from
/// the class's type arguments: two (key, value); one (the value, with a <c>uint</c> key unless <see cref="NoKey"/>);
/// none (neither, unless <see cref="UInt32KeyAndValue"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BpfMapTypeAttribute(int mapType) : Attribute
{
    /// <summary><c>enum bpf_map_type</c>.</summary>
    public int MapType { get; } = mapType;

    /// <summary>The map has a value but no key (queue, stack, bloom filter).</summary>
    public bool NoKey { get; set; }

    /// <summary>The map has a <c>uint</c> key and a <c>uint</c> value without type arguments (perf event array, prog array, …).</summary>
    public bool UInt32KeyAndValue { get; set; }
}
