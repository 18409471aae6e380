using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Tools;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp btf dump</c> against <c>bpftool btf dump</c> (byte for byte) and clang-19 (the C it prints compiles).</summary>
public sealed class BtfDumpCommandTests
{
    const string Vmlinux = "/sys/kernel/btf/vmlinux";

    [Theory]
    [InlineData("raw")]
    [InlineData("c")]
    public void Vmlinux_dump_equals_bpftool(string format)
    {
        Require.Compiler();
        AssertSameAsBpftool(Vmlinux, format);
    }

    [Theory]
    [InlineData("medium", "raw")]
    [InlineData("medium", "c")]
    [InlineData("globals", "raw")]
    [InlineData("struct_ops", "c")]
    public void Object_dump_equals_bpftool(string fixture, string format)
    {
        Require.Compiler();
        AssertSameAsBpftool(FixtureCompiler.Compile(fixture), format);
    }

    [Fact]
    public void Raw_is_the_default_format()
    {
        Require.Compiler();
        string path = FixtureCompiler.Compile("medium");
        Assert.Equal(BpfsharpTool.Succeed("btf", "dump", path, "--format", "raw"), BpfsharpTool.Succeed("btf", "dump", path));
    }

    [Fact]
    public void Selected_vmlinux_types_are_a_header_clang_compiles()
    {
        Require.Compiler();
        string header = BpfsharpTool.Succeed("btf", "dump", Vmlinux, "--format", "c", "--type", "task_struct", "--type", "sk_buff");
        Assert.True(header.Length < BpfsharpTool.Succeed("btf", "dump", Vmlinux, "--format", "c").Length / 4, "--type should give a subset");
        Assert.Contains("struct task_struct {", header);
        AssertCompiles(header, """
            int pid_of(struct task_struct *t) { return t->pid; }
            unsigned int len_of(struct sk_buff *skb) { return skb->len; }
            """);
    }

    [Fact]
    public void Selected_object_types_are_a_header_clang_compiles()
    {
        Require.Compiler();
        string header = BpfsharpTool.Succeed("btf", "dump", FixtureCompiler.Compile("medium"), "--format", "c", "--type", "conn_state", "--type", "conn_key");
        Assert.Contains("struct conn_state {", header);
        Assert.DoesNotContain("struct rule {", header);
        AssertCompiles(header, "unsigned long long f(struct conn_state *s, struct conn_key *k) { return s->packets + sizeof(*k); }");
    }

    [Fact]
    public void Unknown_type_name_exits_1_with_a_message()
    {
        Require.Compiler();
        ToolResult result = BpfsharpTool.Run("btf", "dump", FixtureCompiler.Compile("medium"), "--type", "no_such_type_here");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no_such_type_here", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    static void AssertSameAsBpftool(string file, string format)
    {
        ToolResult bpftool = ExternalTool.Run("bpftool", ["btf", "dump", "file", file, "format", format]);
        Assert.True(bpftool.Succeeded, bpftool.ToString());
        string ours = BpfsharpTool.Succeed("btf", "dump", file, "--format", format);
        if (ours == bpftool.StandardOutput) return;
        string[] a = bpftool.StandardOutput.Split('\n'), b = ours.Split('\n');
        int first = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        Assert.Fail($"{file} format {format}: first difference at line {first + 1}: bpftool '{a.ElementAtOrDefault(first)}', bpfsharp '{b.ElementAtOrDefault(first)}' ({a.Length} vs {b.Length} lines)");
    }

    static void AssertCompiles(string header, string code)
    {
        string dir = Directory.CreateTempSubdirectory("bpfsharp-cli-btf-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "types.h"), header);
            File.WriteAllText(Path.Combine(dir, "use.c"), "#include \"types.h\"\n" + code + "\n");
            ToolResult clang = ExternalTool.Run(FixtureCompiler.Clang, ["-target", "bpf", "-O2", "-Wall", "-c", Path.Combine(dir, "use.c"), "-o", Path.Combine(dir, "use.o")]);
            Assert.True(clang.Succeeded, clang.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
