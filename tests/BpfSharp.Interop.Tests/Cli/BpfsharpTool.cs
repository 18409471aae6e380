using BpfSharp.Interop.Tests.Tools;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary>Runs the built <c>bpfsharp</c> tool (BpfSharp.Cli.dll, copied beside the test assembly) as a child process.</summary>
public static class BpfsharpTool
{
    /// <summary>The tool's assembly, next to the test assembly through the project reference.</summary>
    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "BpfSharp.Cli.dll");

    /// <summary><c>dotnet BpfSharp.Cli.dll ARGS</c> to completion (at most two minutes).</summary>
    public static ToolResult Run(params string[] arguments)
    {
        if (!File.Exists(AssemblyPath)) throw new FileNotFoundException($"the CLI was not built beside the tests: {AssemblyPath}");
        return ExternalTool.Run("dotnet", [AssemblyPath, .. arguments], TimeSpan.FromMinutes(2));
    }

    /// <summary>Runs and requires exit code 0, returning stdout.</summary>
    public static string Succeed(params string[] arguments)
    {
        ToolResult result = Run(arguments);
        Xunit.Assert.True(result.Succeeded, result.ToString());
        Xunit.Assert.Equal("", result.StandardError);
        return result.StandardOutput;
    }
}
