using BpfSharp.Compiler.Diagnostics;
using Xunit;
using static BpfSharp.Compiler.Diagnostics.DiagnosticSeverity;
using static BpfSharp.Compiler.Tests.DiagnosticChecks.DiagnosticAssert;

namespace BpfSharp.Compiler.Tests.DiagnosticChecks;

/// <summary>One test per diagnostic a C# module can trigger; the modules are in DiagnosticModules.cs.</summary>
public class DiagnosticTests
{
    const string KnownBug = "Compiler bug, see the diagnostics report; enable when fixed.";

    // ---- BPF00xx ----

    [Fact]
    public void BPF0004_module_without_programs() =>
        ReportsWithoutLine(typeof(NoProgramsModule), "BPF0004", Warning, "NoProgramsModule", "no program method");

    [Fact]
    public void BPF0005_module_class_not_static() =>
        ReportsWithoutLine(typeof(NotStaticModule), "BPF0005", Error, "NotStaticModule", "instance fields");

    [Fact]
    public void BPF0006_map_and_program_with_the_same_name() =>
        Reports(typeof(DuplicateNameModule), "BPF0006", Error, "'Run'", "map 'Run'", "function 'Run'");

    // ---- BPF01xx ----

    [Fact]
    public void BPF0101_call_through_a_function_pointer() =>
        Reports(typeof(CallThroughPointerModule), "BPF0101", Error, "CallThroughPointerModule.Run", "calli");

    [Fact]
    public void BPF0102_new_object() =>
        Reports(typeof(AllocationModule), "BPF0102", Error, "AllocationModule.Run", "new System.Object");

    [Fact]
    public void BPF0102_new_array() =>
        Reports(typeof(NewArrayModule), "BPF0102", Error, "NewArrayModule.Run", "a new array");

    [Fact]
    public void BPF0103_string_value() =>
        Reports(typeof(StringModule), "BPF0103", Error, "StringModule.Run", "string");

    [Fact]
    public void BPF0104_object_method_on_a_struct() =>
        Reports(typeof(VirtualCallModule), "BPF0104", Error, "VirtualCallModule.Run", "GetHashCode", "Plain");

    [Fact]
    public void BPF0104_interface_call() =>
        Reports(typeof(InterfaceCallModule), "BPF0104", Error, "InterfaceCallModule.Next", "ICounter.Next()");

    [Fact]
    public void BPF0105_try_catch() =>
        Reports(typeof(TryCatchModule), "BPF0105", Error, "TryCatchModule.Run", "try/catch/finally");

    [Fact]
    public void BPF0106_floating_point() =>
        Reports(typeof(FloatingPointModule), "BPF0106", Error, "FloatingPointModule.Run", "floating point");

    [Fact]
    public void BPF0107_recursion_through_inlining() =>
        Reports(typeof(RecursionModule), "BPF0107", Error, "RecursionModule.Sum(int)", "calls itself");

    [Fact]
    public void BPF0107_recursion_through_a_subprogram() =>
        Reports(typeof(SubprogramRecursionModule), "BPF0107", Error, "SubprogramRecursionModule.Sum(int)");

    [Fact]
    public void BPF0108_six_arguments_to_a_subprogram() =>
        Reports(typeof(TooManyArgumentsModule), "BPF0108", Error, "Add6", "6 arguments");

    [Fact]
    public void BPF0109_console_writeline() =>
        Reports(typeof(UnsupportedCallModule), "BPF0109", Error, "UnsupportedCallModule.Run", "System.Console.WriteLine(int)");

    [Fact]
    public void BPF0110_array_parameter() =>
        Reports(typeof(ArrayModule), "BPF0110", Error, "ArrayModule.Length(int[])", "array");

    [Fact]
    public void BPF0111_stackalloc_of_variable_size() =>
        Reports(typeof(StackallocModule), "BPF0111", Error, "StackallocModule.Run", "stackalloc");

    [Fact]
    public void BPF0112_non_constant_static_initializer() =>
        Reports(typeof(StaticInitializerModule), "BPF0112", Error, "StaticInitializerModule", "not a constant");

    [Fact]
    public void BPF0113_extern_method_reports_its_name() =>
        ReportsWithoutLine(typeof(ExternModule), "BPF0113", Error, "ExternModule.getpid()", "no IL body");

    [Fact]
    public void BPF0113_extern_method_points_at_the_call() =>
        Reports(typeof(ExternModule), "BPF0113", Error, "ExternModule.getpid()");

    // ---- BPF02xx ----

    [Fact]
    public void BPF0202_int128_map_value() =>
        ReportsWithoutLine(typeof(OverAlignedValueModule), "BPF0202", Error, "Map 'Values'", "Int128", "16-byte alignment");

    [Fact]
    public void BPF0203_pointer_field_in_map_value() =>
        ReportsWithoutLine(typeof(PointerValueModule), "BPF0203", Error, "Map 'Values'", "field 'P' (byte*)");

    [Fact]
    public void BPF0204_double_map_value() =>
        ReportsWithoutLine(typeof(FloatValueModule), "BPF0204", Error, "Map 'Values'", "double");

    [Fact]
    public void BPF0205_auto_layout_map_value() =>
        ReportsWithoutLine(typeof(AutoLayoutValueModule), "BPF0205", Error, "Map 'Values'", "AutoLayout", "LayoutKind.Auto");

    [Fact]
    public void BPF0206_pack_1_map_value_is_a_warning() =>
        ReportsWithoutLine(typeof(PackedValueModule), "BPF0206", Warning, "Map 'Values'", "field 'Value' (ulong) at offset 1");

    [Fact]
    public void BPF0207_empty_struct_map_value() =>
        ReportsWithoutLine(typeof(EmptyValueModule), "BPF0207", Error, "Map 'Values'", "Empty", "no fields");

    [Fact]
    public void BPF0208_string_field_in_a_global() =>
        ReportsWithoutLine(typeof(ManagedGlobalModule), "BPF0208", Error, "Global variable 'Current'", "field 'S' (string)");

    // ---- BPF03xx ----

    [Fact]
    public void BPF0301_two_large_struct_locals() =>
        Reports(typeof(StackTooLargeModule), "BPF0301", Error, "'Run'", "592 bytes");

    [Fact]
    public void BPF0301_frames_of_a_call_chain_together() =>
        ReportsWithoutLine(typeof(StackAcrossCallsModule), "BPF0301", Error, "Run (with the functions it calls)", "640 bytes");

    [Fact]
    public void BPF0302_field_beyond_16_bit_offset() =>
        Reports(typeof(OffsetOutOfRangeModule), "BPF0302", Error, "OffsetOutOfRangeModule.Run", "40000");

    [Fact]
    public void BPF0303_pointer_cast_to_int() =>
        Reports(typeof(PointerTruncationModule), "BPF0303", Error, "PointerTruncationModule.Run");

    // ---- BPF04xx ----

    [Fact]
    public void BPF0401_xdp_program_taking_an_int() =>
        Reports(typeof(BadSignatureModule), "BPF0401", Error, "'Run'", "int (int)", "XdpMd");

    [Fact]
    public void BPF0402_map_attribute_on_a_scalar() =>
        ReportsWithoutLine(typeof(MapOnScalarModule), "BPF0402", Error, "'Counter'", "ulong");

    [Fact]
    public void BPF0402_map_field_without_map_attribute() =>
        ReportsWithoutLine(typeof(MapWithoutAttributeModule), "BPF0402", Error, "'Counts'", "needs [Map(");

    [Fact]
    public void BPF0402_map_field_assigned() =>
        Reports(typeof(MapAssignedModule), "BPF0402", Error, "'Counts'", "cannot be assigned");

    [Fact]
    public void BPF0403_init_block_of_variable_size() =>
        Reports(typeof(NonConstantInitBlockModule), "BPF0403", Error, "NonConstantInitBlockModule.Run", "Unsafe.InitBlock");

    [Fact]
    public void BPF0404_tracepoint_with_empty_category() =>
        Reports(typeof(EmptyTracepointModule), "BPF0404", Error, "'Run'", "category is empty");

    [Fact]
    public void BPF0405_unknown_section() =>
        Reports(typeof(UnknownSectionModule), "BPF0405", Error, "'Run'", "no_such_section");

    [Fact]
    public void BPF0406_two_program_attributes() =>
        Reports(typeof(TwoProgramAttributesModule), "BPF0406", Error, "'Run'");

    // ---- Diagnostics that need a file rather than a module ----

    [Fact]
    public void BPF0001_file_that_is_not_an_assembly()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bpfsharp-diag-{Guid.NewGuid():N}.dll");
        File.WriteAllText(path, "not a PE file");
        try
        {
            Diagnostic d = Assert.Single(BpfCompiler.CompileFile(path).Diagnostics);
            Assert.Equal("BPF0001", d.Id);
            Assert.Equal(Error, d.Severity);
            Assert.Contains(path, d.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BPF0002_assembly_without_pdb_is_a_warning()
    {
        string dir = Directory.CreateTempSubdirectory("bpfsharp-diag-").FullName;
        try
        {
            string dll = Path.Combine(dir, "Tests.dll");
            File.Copy(typeof(DiagnosticTests).Assembly.Location, dll);
            foreach (string dependency in Directory.GetFiles(AppContext.BaseDirectory, "BpfSharp.Kernel.dll"))
                File.Copy(dependency, Path.Combine(dir, Path.GetFileName(dependency)));
            CompilationResult result = BpfCompiler.CompileFile(dll, new CompilerOptions { Module = nameof(NoProgramsModule) });
            Diagnostic d = Assert.Single(result.Diagnostics, x => x.Id == "BPF0002");
            Assert.Equal(Warning, d.Severity);
            Assert.Contains(dll, d.Message, StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void BPF0003_assembly_without_modules()
    {
        string kernel = typeof(Kernel.BpfModuleAttribute).Assembly.Location;
        CompilationResult result = BpfCompiler.CompileFile(kernel);
        Diagnostic d = Assert.Single(result.Errors);
        Assert.Equal("BPF0003", d.Id);
        Assert.Contains(kernel, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BPF0003_module_name_that_does_not_exist()
    {
        CompilationResult result = BpfCompiler.CompileFile(typeof(DiagnosticTests).Assembly.Location, new CompilerOptions { Module = "NoSuchModule" });
        Assert.Equal("BPF0003", Assert.Single(result.Errors).Id);
    }

    [Fact]
    public void Every_diagnostic_prints_file_line_severity_id_message_and_fix()
    {
        Diagnostic d = Reports(typeof(AllocationModule), "BPF0102", Error);
        int line = MarkerLine(nameof(AllocationModule), "BPF0102");
        Assert.Matches($@"^.+DiagnosticModules\.cs\({line},\d+\): error BPF0102: .+ {System.Text.RegularExpressions.Regex.Escape(d.Descriptor.Fix)}$", d.ToString());
    }
}
