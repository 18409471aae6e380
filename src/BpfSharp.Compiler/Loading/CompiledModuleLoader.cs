using System.Collections.Concurrent;
using BpfSharp.Compiler;

namespace BpfSharp.Objects;

/// <summary>
/// <c>BpfObject.Load&lt;TModule&gt;()</c>: compiles a C# module in-process (once per assembly version: the cache key is
/// the module's MVID) and loads it. The user side then reads the module's maps and globals by their C# names.
/// </summary>
public static class CompiledModuleLoader
{
    static readonly ConcurrentDictionary<(Guid Mvid, string Type), byte[]> Cache = new();

    extension(BpfObject)
    {
        /// <summary>Compiles (or takes from the cache) and loads the <c>[BpfModule]</c> class <typeparamref name="TModule"/>.</summary>
        /// <exception cref="BpfCompilationException">The module does not compile; the message lists every diagnostic.</exception>
        public static BpfObject Load<TModule>(ObjectLoadOptions? options = null) where TModule : class =>
            LoadModule(typeof(TModule), options);

        /// <summary>As <see cref="Load{TModule}(ObjectLoadOptions?)"/>, configuring the options in a callback.</summary>
        public static BpfObject Load<TModule>(Action<ObjectLoadOptions> configure) where TModule : class
        {
            ArgumentNullException.ThrowIfNull(configure);
            var options = new ObjectLoadOptions();
            configure(options);
            return LoadModule(typeof(TModule), options);
        }

        /// <summary>Compiles and loads a module class given as a type (static classes cannot be type arguments).</summary>
        public static BpfObject Load(Type moduleType, ObjectLoadOptions? options = null) => LoadModule(moduleType, options);
    }

    /// <summary>The compiled object of <paramref name="moduleType"/>, from the cache or compiled now.</summary>
    public static byte[] CompileModule(Type moduleType)
    {
        ArgumentNullException.ThrowIfNull(moduleType);
        return Cache.GetOrAdd((moduleType.Module.ModuleVersionId, moduleType.FullName!), _ =>
        {
            CompilationResult result = BpfCompiler.Compile(moduleType);
            if (!result.Success) throw new BpfCompilationException(moduleType, result.Diagnostics);
            return result.Modules[0].ObjectBytes;
        });
    }

    static BpfObject LoadModule(Type moduleType, ObjectLoadOptions? options)
    {
        byte[] elf = CompileModule(moduleType);
        return BpfObject.Load(elf, moduleType.Name, options);
    }
}
