using System.Collections.Immutable;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Metadata;

/// <summary>The type arguments in scope while decoding a signature: the declaring type's and the method's.</summary>
public readonly record struct GenericContext(ImmutableArray<TypeModel> TypeArguments, ImmutableArray<TypeModel> MethodArguments)
{
    public static GenericContext Empty { get; } = new([], []);

    public GenericContext WithMethodArguments(ImmutableArray<TypeModel> methodArguments) => this with { MethodArguments = methodArguments };
}
