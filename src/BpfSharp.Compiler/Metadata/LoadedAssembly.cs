using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace BpfSharp.Compiler.Metadata;

/// <summary>One assembly opened for reading: its metadata, and its portable PDB when there is one.</summary>
public sealed class LoadedAssembly : IDisposable
{
    readonly PEReader _pe;
    readonly MetadataReaderProvider? _pdbProvider;

    LoadedAssembly(string path, PEReader pe, MetadataReader reader, MetadataReaderProvider? pdbProvider)
    {
        Path = path;
        _pe = pe;
        Reader = reader;
        _pdbProvider = pdbProvider;
        Pdb = pdbProvider?.GetMetadataReader();
        Name = reader.GetString(reader.GetAssemblyDefinition().Name);
    }

    public string Name { get; }
    public string Path { get; }
    public MetadataReader Reader { get; }

    /// <summary>The portable PDB (a .pdb next to the file or embedded), or null.</summary>
    public MetadataReader? Pdb { get; }

    /// <summary>Opens the file and its PDB; throws <see cref="BadImageFormatException"/> or <see cref="IOException"/> when it cannot.</summary>
    public static LoadedAssembly Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var pe = new PEReader(new MemoryStream(File.ReadAllBytes(path)));
        try
        {
            if (!pe.HasMetadata) throw new BadImageFormatException("the file has no .NET metadata");
            MetadataReader reader = pe.GetMetadataReader();
            if (!reader.IsAssembly) throw new BadImageFormatException("the file is a module, not an assembly");
            MetadataReaderProvider? pdb = null;
            try
            {
                pe.TryOpenAssociatedPortablePdb(path, p => File.Exists(p) ? File.OpenRead(p) : null, out pdb, out _);
            }
            catch (BadImageFormatException) { pdb = null; } // a Windows PDB or a damaged one: go on without lines
            return new LoadedAssembly(path, pe, reader, pdb);
        }
        catch
        {
            pe.Dispose();
            throw;
        }
    }

    /// <summary>The IL body of a method, or null when it has none.</summary>
    public MethodBodyBlock? GetBody(MethodDefinitionHandle handle)
    {
        MethodDefinition def = Reader.GetMethodDefinition(handle);
        return def.RelativeVirtualAddress == 0 ? null : _pe.GetMethodBody(def.RelativeVirtualAddress);
    }

    /// <summary>The sequence points of a method from the PDB (empty without one).</summary>
    public IEnumerable<SequencePoint> GetSequencePoints(MethodDefinitionHandle handle)
    {
        if (Pdb is null) return [];
        MethodDebugInformation info = Pdb.GetMethodDebugInformation(MetadataTokens.MethodDebugInformationHandle(MetadataTokens.GetRowNumber(handle)));
        return info.SequencePointsBlob.IsNil ? [] : info.GetSequencePoints();
    }

    public string GetDocumentPath(DocumentHandle document) => Pdb is null ? "" : Pdb.GetString(Pdb.GetDocument(document).Name);

    public void Dispose()
    {
        _pdbProvider?.Dispose();
        _pe.Dispose();
    }

    public override string ToString() => Name;
}
