using System.Diagnostics;
using System.Text.RegularExpressions;
using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Tools;
using BpfSharp.Links;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp run --attach-all</c>: attach by section, print ring and perf buffer records while running.</summary>
public sealed partial class RunCommandTests
{
    /// <summary>
    /// Every program started from a file whose name starts with this is reported by <see cref="ExecWatchSource"/>:
    /// unique to this test process, so a parallel run of these tests elsewhere is not seen.
    /// </summary>
    static readonly string WatchedPrefix = "bpfs" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>
    /// Reports every exec of a program whose name (its comm) starts with <see cref="WatchedPrefix"/>, four ways: a ring
    /// buffer record (<c>struct event</c>, typed through an <c>events_record</c> variable), a perf sample
    /// (<c>struct exec_sample</c>, typed through <c>samples_record</c>), an untyped ring buffer record (hex), and a count
    /// per name in a hash map. Plus a socket program that AttachAll must skip.
    /// </summary>
    const string ExecWatchSource = """
        #include "fixtures.h"

        struct event { __u32 pid; char comm[16]; };
        struct exec_sample { __u32 pid; __u32 ppid; char comm[16]; };

        struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 64 * 1024); } events SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } raw SEC(".maps");
        struct {
        	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
        	__uint(key_size, sizeof(__u32));
        	__uint(value_size, sizeof(__u32));
        } samples SEC(".maps");
        struct {
        	__uint(type, BPF_MAP_TYPE_HASH);
        	__uint(max_entries, 64);
        	__type(key, char[16]);
        	__type(value, __u64);
        } execs SEC(".maps");

        struct event *events_record;
        struct exec_sample *samples_record;

        static const char prefix[] = "PREFIX";

        SEC("tracepoint/sched/sched_process_exec")
        int watch_exec(void *ctx)
        {
        	struct event e = {};
        	bpf_get_current_comm(e.comm, sizeof(e.comm));
        	for (int i = 0; i < sizeof(prefix) - 1; i++)
        		if (e.comm[i] != prefix[i])
        			return 0;
        	e.pid = bpf_get_current_pid_tgid() >> 32;
        	bpf_ringbuf_output(&events, &e, sizeof(e), 0);

        	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
        	struct exec_sample s = { .pid = e.pid, .ppid = BPF_CORE_READ(task, real_parent, tgid) };
        	__builtin_memcpy(s.comm, e.comm, sizeof(s.comm));
        	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s));

        	__u64 marker = 0x2a;
        	bpf_ringbuf_output(&raw, &marker, sizeof(marker), 0);

        	__u64 one = 1, *count = bpf_map_lookup_elem(&execs, e.comm);
        	if (count)
        		__sync_fetch_and_add(count, 1);
        	else
        		bpf_map_update_elem(&execs, e.comm, &one, BPF_NOEXIST);
        	return 0;
        }

        SEC("socket")
        int not_attached(void *ctx) { return 0; }

        char LICENSE[] SEC("license") = "GPL";
        """;

    [Fact]
    public async Task Run_attach_all_prints_ring_and_perf_records_with_field_names_and_the_counts_at_exit()
    {
        Kernel.Require();
        Require.Compiler();
        string obj = CompileExecWatch();

        ToolRun run = await RunWhileExecuting(obj, "--attach-all", "--duration", "2");

        string output = run.Output;
        Assert.Matches(new Regex(@"^attached watch_exec \(section 'tracepoint/sched/sched_process_exec'\): link id \d+, ", RegexOptions.Multiline), output);
        Assert.Contains("skipped not_attached (section 'socket'): ", output);
        Assert.Contains("1 attached, 1 skipped\n", output);
        Assert.Contains("reading RingBuf 'events': records as struct event\n", output);
        Assert.Contains("reading RingBuf 'raw': records in hex (no record type found)\n", output);
        Assert.Contains("reading PerfEventArray 'samples': records as struct exec_sample\n", output);

        int parent = Environment.ProcessId;
        foreach ((string name, int pid) in run.Started)
        {
            Assert.True(1 == Regex.Count(output, $@"^events: \{{ \.pid = {pid}, \.comm = ""{name}"" \}}$", RegexOptions.Multiline), output);
            Assert.True(1 == Regex.Count(output, $@"^samples cpu \d+: \{{ \.pid = {pid}, \.ppid = {parent}, \.comm = ""{name}"" \}}$", RegexOptions.Multiline), output);
        }
        Assert.Equal(run.Started.Count, Regex.Count(output, "^raw: 2a 00 00 00 00 00 00 00$", RegexOptions.Multiline));

        string atExit = output[output.IndexOf("maps at exit:\n", StringComparison.Ordinal)..];
        foreach ((string name, _) in run.Started) Assert.Contains($"key: \"{name}\"  value: 1\n", atExit);
        Assert.Contains($"Found {run.Started.Count} elements\n", atExit);

        // The object owned the link: it is gone with the tool.
        uint linkId = uint.Parse(Regex.Match(output, @"link id (\d+)").Groups[1].Value);
        Assert.Throws<BpfSyscallException>(() => BpfLink.FromId(linkId));
    }

    [Fact]
    public async Task Run_without_attach_all_reads_the_event_maps_but_attaches_nothing()
    {
        Kernel.Require();
        Require.Compiler();
        string obj = CompileExecWatch();

        ToolRun run = await RunWhileExecuting(obj, "--duration", "1");

        string output = run.Output;
        Assert.Contains("programs are loaded, not attached (--attach-all attaches them by section name)\n", output);
        Assert.DoesNotMatch(new Regex("^(attached|skipped) ", RegexOptions.Multiline), output);
        Assert.Contains("reading RingBuf 'events': records as struct event\n", output);
        Assert.Contains("reading PerfEventArray 'samples': records as struct exec_sample\n", output);
        Assert.DoesNotMatch(new Regex("^(events|raw|samples)[: ]", RegexOptions.Multiline), output);
        Assert.Contains("map execs:\nFound 0 elements\n", output);
    }

    static string CompileExecWatch()
    {
        string dir = RunDirectory.Sub("cli_run_execwatch");
        string source = Path.Combine(dir, "execwatch.bpf.c"), obj = Path.Combine(dir, "execwatch.bpf.o");
        lock (ExecWatchLock)
        {
            if (File.Exists(obj)) return obj;
            File.WriteAllText(source, ExecWatchSource.Replace("PREFIX", WatchedPrefix, StringComparison.Ordinal));
            ToolResult clang = ExternalTool.Run(FixtureCompiler.Clang,
            [
                "-g", "-O2", "-target", "bpf", $"-D__TARGET_ARCH_{FixtureCompiler.TargetArch}",
                "-I", Path.GetDirectoryName(FixtureCompiler.VmlinuxHeader)!, "-I", FixtureCompiler.SourceDirectory,
                "-c", source, "-o", obj + ".tmp",
            ]);
            Assert.True(clang.Succeeded, clang.ToString());
            File.Move(obj + ".tmp", obj);
            return obj;
        }
    }

    static readonly Lock ExecWatchLock = new();

    /// <summary>What the tool printed, and the programs the test started while it ran (name, pid).</summary>
    sealed record ToolRun(string Output, IReadOnlyList<(string Name, int Pid)> Started);

    /// <summary>
    /// Starts <c>bpfsharp run OBJ ARGS</c>, waits until it says it is running, runs three programs named
    /// <see cref="WatchedPrefix"/>… (copies of <c>/bin/true</c> under unique names) to completion, then waits for the
    /// tool to exit 0 by itself.
    /// </summary>
    static async Task<ToolRun> RunWhileExecuting(string obj, params string[] arguments)
    {
        CancellationToken cancel = TestContext.Current.CancellationToken;
        string tag = Guid.NewGuid().ToString("N")[..4];
        string dir = RunDirectory.Sub("cli_run_exec_" + tag);
        string[] names = [.. Enumerable.Range(0, 3).Select(i => $"{WatchedPrefix}{tag}{i}")]; // 15 characters: a whole comm
        foreach (string name in names) File.Copy("/bin/true", Path.Combine(dir, name));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[BpfsharpTool.AssemblyPath, "run", obj, .. arguments]) start.ArgumentList.Add(a);
        using Process tool = Process.Start(start)!;
        try
        {
            Task<string> stderr = tool.StandardError.ReadToEndAsync(cancel);
            var seen = new System.Text.StringBuilder();
            string? line;
            while ((line = await tool.StandardOutput.ReadLineAsync(cancel)) != null)
            {
                seen.Append(line).Append('\n');
                if (line.StartsWith("running for ", StringComparison.Ordinal)) break;
            }
            if (line is null) Assert.Fail($"the tool ended before it ran: {seen}{await stderr}"); // (not in Assert.True's message: that would wait for the tool's end)

            var started = new List<(string, int)>();
            foreach (string name in names)
            {
                using Process child = Process.Start(Path.Combine(dir, name))!;
                started.Add((name, child.Id));
                await child.WaitForExitAsync(cancel);
                Assert.Equal(0, child.ExitCode);
            }

            seen.Append(await tool.StandardOutput.ReadToEndAsync(cancel));
            await tool.WaitForExitAsync(cancel);
            Assert.True(tool.ExitCode == 0, $"exit code {tool.ExitCode}: {await stderr}\n{seen}");
            Assert.Equal("", await stderr);
            return new ToolRun(seen.ToString(), started);
        }
        finally
        {
            if (!tool.HasExited) tool.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }
    }
}
