using System.CommandLine;
using System.Diagnostics;
using BpfSharp.Compiler;
using BpfSharp.Compiler.Diagnostics;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp compile PATH.dll|PATH.csproj [-o DIR] [--module NAME]</c>: compile every [BpfModule] class to
/// <c>NAME.bpf.o</c>; diagnostics in MSBuild's <c>file(line,col): error BPFnnnn: message</c> form; exit 1 on an error.
/// </summary>
static class CompileCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "a built assembly (.dll, its .pdb next to it) or a project (.csproj, built in Release first)" };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "where to write NAME.bpf.o (default: the current directory)" };
        var module = new Option<string?>("--module") { Description = "compile only this module class (simple or full name)" };
        var command = new Command("compile", "compile the C# eBPF modules of an assembly to ELF objects") { input, output, module };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            FileInfo file = parse.GetValue(input)!;
            string? assembly = file.Extension.Equals(".csproj", StringComparison.OrdinalIgnoreCase) ? BuildProject(file.FullName) : file.FullName;
            if (assembly is null) return 1;
            CompilationResult result = BpfCompiler.CompileFile(assembly, new CompilerOptions { Module = parse.GetValue(module) });
            foreach (Diagnostic d in result.Diagnostics)
                (d.Severity == DiagnosticSeverity.Error ? Console.Error : Console.Out).WriteLine(d);
            if (!result.Success) return 1;
            DirectoryInfo dir = parse.GetValue(output) ?? new DirectoryInfo(Directory.GetCurrentDirectory());
            dir.Create();
            foreach (CompiledModule m in result.Modules)
            {
                string path = Path.Combine(dir.FullName, m.FileName);
                File.WriteAllBytes(path, m.ObjectBytes);
                Console.WriteLine($"{m.ClassName} -> {path} ({m.ObjectBytes.Length} bytes)");
            }
            return 0;
        }));
        return command;
    }

    // `dotnet build` in Release, then ask MSBuild where the assembly went.
    static string? BuildProject(string project)
    {
        (int code, string text) = Dotnet("build", project, "-c", "Release", "-nologo", "-v:q");
        if (code != 0)
        {
            Console.Error.WriteLine(text);
            Console.Error.WriteLine($"error: `dotnet build {project} -c Release` failed (exit {code}).");
            return null;
        }
        (code, text) = Dotnet("msbuild", project, "-getProperty:TargetPath", "-p:Configuration=Release", "-nologo");
        string path = text.Trim();
        if (code != 0 || !File.Exists(path))
        {
            Console.Error.WriteLine($"error: could not find the assembly {project} builds ({text.Trim()}).");
            return null;
        }
        return path;
    }

    static (int Code, string Output) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start) ?? throw new IOException("could not start dotnet");
        Task<string> err = p.StandardError.ReadToEndAsync();
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, text + err.Result);
    }
}
