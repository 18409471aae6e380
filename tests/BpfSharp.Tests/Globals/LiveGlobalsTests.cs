using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Globals;

/// <summary>
/// Global variables of a clang-built object while its program runs (BPF_PROG_TEST_RUN): .bss and .data through the
/// mapping, live and without a system call; .rodata set before load and read-only after.
/// </summary>
public class LiveGlobalsTests
{
    static readonly byte[] Frame = new byte[64];

    [StructLayout(LayoutKind.Sequential)]
    struct Settings
    {
        public uint Bonus;
        public uint Mode;
    }

    static BpfObject Load(ObjectLoadOptions? options = null, CountingSyscalls? syscalls = null) =>
        BpfObject.Load(GlobalsFixture.ObjectPath, options, syscalls);

    [Fact]
    public void A_bss_counter_is_seen_live_through_the_mapping_without_a_system_call()
    {
        Kernel.Require();
        var syscalls = new CountingSyscalls();
        using BpfObject obj = Load(syscalls: syscalls);
        BpfProgram bump = obj.Program("bump");
        GlobalVariable<ulong> runs = obj.Global<ulong>("runs");
        Assert.Equal(".bss", runs.Section.Name);
        Assert.False(runs.IsReadOnly);
        Assert.Equal(0ul, runs.Value);

        for (ulong i = 1; i <= 5; i++)
        {
            bump.TestRun(Frame);
            int before = syscalls.BpfCalls;
            ulong seen = Volatile.Read(ref runs.Value);
            Assert.Equal(before, syscalls.BpfCalls); // the read was a memory load
            Assert.Equal(i, seen);
        }
        Assert.Equal(5ul, obj.GetGlobal<ulong>("runs"));

        GlobalArray<ulong> hist = obj.GlobalArray<ulong>("hist");
        Assert.Equal(4, hist.Length);
        Assert.Equal([1ul, 2, 1, 1], hist.ReadOnlySpan.ToArray()); // runs went 1..5: slots 1,2,3,0,1
        Assert.Equal(5ul, MemoryMarshal.Read<ulong>(obj.DataSection(".bss").ReadOnlySpan[(int)runs.Offset..]));
    }

    [Fact]
    public void Writes_to_data_and_bss_are_seen_by_the_next_run()
    {
        Kernel.Require();
        using BpfObject obj = Load();
        BpfProgram bump = obj.Program("bump");
        GlobalVariable<uint> step = obj.Global<uint>("step");
        GlobalVariable<ulong> runs = obj.Global<ulong>("runs");
        Assert.Equal(".data", step.Section.Name);
        Assert.Equal(1u, step.Value); // the initial value from the object

        step.Value = 10;
        bump.TestRun(Frame);
        Assert.Equal(10ul, runs.Value);

        obj.SetGlobal("step", 3u); // SetGlobal writes through the same mapping
        Assert.Equal(3u, step.Value);
        runs.Value = 100;
        bump.TestRun(Frame);
        Assert.Equal(103ul, runs.Value);

        obj.GlobalArray<ulong>("hist")[0] = 50;
        bump.TestRun(Frame); // runs 106 → slot 2
        Assert.Equal(50ul, obj.GlobalArray<ulong>("hist").ReadOnlySpan[0]);
        Assert.Equal(106ul, obj.GetGlobal<ulong>("runs"));
    }

    [Fact]
    public void Rodata_set_before_load_is_what_programs_see_and_is_read_only_after()
    {
        Kernel.Require();
        using BpfObject obj = Load(new ObjectLoadOptions().SetGlobal("answer", 40u).SetGlobal("cfg", new Settings { Bonus = 5, Mode = 9 }));
        Assert.Equal(45u, obj.Program("bump").TestRun(Frame));

        GlobalVariable<uint> answer = obj.Global<uint>("answer");
        Assert.True(answer.IsReadOnly);
        Assert.Equal(40u, answer.ReadOnlyValue);
        Assert.Equal(9u, obj.Global<Settings>("cfg").ReadOnlyValue.Mode);
        Assert.Equal(40u, obj.GetGlobal<uint>("answer"));

        var write = Assert.Throws<InvalidOperationException>(() => answer.Value = 1);
        Assert.Contains("global 'answer'", write.Message);
        Assert.Contains("'.rodata'", write.Message);
        Assert.Contains("read-only", write.Message);
        Assert.Contains("before load", write.Message);
        Assert.Contains("read-only", Assert.Throws<InvalidOperationException>(() => obj.SetGlobal("answer", 1u)).Message);
        Assert.Contains("section '.rodata'", Assert.Throws<InvalidOperationException>(() => obj.DataSection(".rodata").Span.Length).Message);

        Assert.Equal(45u, obj.Program("bump").TestRun(Frame)); // nothing changed it
        Assert.Equal(MapCreateFlags.RdonlyProg | MapCreateFlags.Mmapable, obj.Map(".rodata").Flags);
    }

    [Fact]
    public void A_type_of_the_wrong_size_or_an_unknown_name_is_refused_with_what_fits()
    {
        Kernel.Require();
        using BpfObject obj = Load();

        var size = Assert.Throws<ArgumentException>(() => obj.Global<uint>("runs"));
        Assert.Contains("global 'runs'", size.Message);
        Assert.Contains("u64", size.Message);
        Assert.Contains("'.bss'", size.Message);
        Assert.Contains("is 8 bytes", size.Message);
        Assert.Contains("System.UInt32 is 4", size.Message);

        var array = Assert.Throws<ArgumentException>(() => obj.GlobalArray<Settings>("step"));
        Assert.Contains("not a whole number", array.Message);

        var missing = Assert.Throws<KeyNotFoundException>(() => obj.Global<uint>("nope"));
        Assert.Contains("'nope'", missing.Message);
        Assert.Contains("answer, cfg, hidden, hist, runs, step", missing.Message);
        Assert.Contains(".bss", Assert.Throws<KeyNotFoundException>(() => obj.DataSection(".nope")).Message);
    }

    [Fact]
    public void A_section_of_static_variables_only_is_not_mapped_but_GetGlobal_still_reads_it()
    {
        Kernel.Require();
        using BpfObject obj = Load();
        Assert.Equal(MapCreateFlags.None, obj.Map(".data.hidden").Flags & MapCreateFlags.Mmapable);

        var e = Assert.Throws<InvalidOperationException>(() => obj.Global<uint>("hidden"));
        Assert.Contains("'.data.hidden'", e.Message);
        Assert.Contains("not memory-mapped", e.Message);
        Assert.Contains("GetGlobal", e.Message);

        obj.Program("bump").TestRun(Frame);
        Assert.Equal(101u, obj.GetGlobal<uint>("hidden"));
        obj.SetGlobal("hidden", 5u);
        obj.Program("bump").TestRun(Frame);
        Assert.Equal(6u, obj.GetGlobal<uint>("hidden"));
    }

    [Fact]
    public void After_dispose_a_handle_throws_instead_of_touching_unmapped_memory()
    {
        Kernel.Require();
        BpfObject obj = Load();
        GlobalVariable<ulong> runs = obj.Global<ulong>("runs");
        GlobalArray<ulong> hist = obj.GlobalArray<ulong>("hist");
        obj.Dispose();

        Assert.Throws<ObjectDisposedException>(() => runs.Value);
        Assert.Throws<ObjectDisposedException>(() => hist.ReadOnlySpan.Length);
        Assert.Throws<ObjectDisposedException>(() => obj.Global<ulong>("runs"));
    }
}
