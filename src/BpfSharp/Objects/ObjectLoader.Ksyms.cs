using System.Globalization;
using BpfSharp.Asm;
using BpfSharp.Btf;

namespace BpfSharp.Objects;

/// <summary><c>.ksyms</c> externs: kfuncs and kernel variables resolved against the kernel's BTF (or kallsyms when untyped).</summary>
sealed partial class ObjectLoader
{
    /// <summary>A call libbpf leaves in place of an unresolved weak kfunc: the verifier rejects it only if it is reachable.</summary>
    const int PoisonedKfuncCall = 0x0bad2310 + 0x100;

    ExternDefinition ExternFor(ProgramDefinition program, string name) =>
        spec.Externs.FirstOrDefault(e => e.Name == name)
        ?? throw new BpfObjectException(ObjectName, $"program '{program.Name}'", $"refers to extern '{name}', which the object does not declare.");

    Instruction ResolveKfunc(ProgramDefinition program, Instruction call, string name)
    {
        ExternDefinition ext = ExternFor(program, name);
        BtfSpec kernel = KernelBtf($"kfunc '{name}'");
        BtfType? func = kernel.Find(name, BtfKind.Func);
        if (func is null)
        {
            if (ext.IsWeak)
                return call with { Src = Register.R0, Offset = 0, Constant = PoisonedKfuncCall };
            throw new BpfObjectException(ObjectName, $"extern '{name}'",
                $"is called as a kfunc by program '{program.Name}' but the kernel's BTF has no function of that name; this kernel does not provide it (declare it __weak and check bpf_ksym_exists() to run without it).");
        }
        return call with { Constant = func.Id, Offset = 0 };
    }

    Instruction ResolveKsymVariable(ProgramDefinition program, Instruction load, string name)
    {
        ExternDefinition ext = ExternFor(program, name);
        if (IsTypeless(ext))
        {
            ulong? address = KallsymsAddress(name);
            if (address is null && !ext.IsWeak)
                throw new BpfObjectException(ObjectName, $"extern '{name}'",
                    "is an untyped ksym but /proc/kallsyms does not list it (kernel data symbols need CONFIG_KALLSYMS_ALL and root); give it a type so it resolves through BTF.");
            return load with { Src = (Register)LoadImm64Source.Constant, Constant = (long)(address ?? 0) };
        }
        BtfSpec kernel = KernelBtf($"ksym '{name}'");
        BtfType? variable = kernel.Find(name, BtfKind.Var);
        if (variable is null)
        {
            if (ext.IsWeak) return load with { Src = (Register)LoadImm64Source.Constant, Constant = 0 };
            throw new BpfObjectException(ObjectName, $"extern '{name}'",
                $"is a typed ksym used by program '{program.Name}' but the kernel's BTF has no variable of that name (only per-CPU and some global variables are in BTF); declare it __weak to run without it.");
        }
        return load with { Constant = variable.Id };
    }

    static bool IsTypeless(ExternDefinition ext) => ext.TargetTypeId == 0;

    static ulong? KallsymsAddress(string name)
    {
        foreach (string line in File.ReadLines("/proc/kallsyms"))
        {
            // "ffffffff81000000 T _stext"
            int first = line.IndexOf(' '), second = line.IndexOf(' ', first + 1);
            if (first < 0 || second < 0) continue;
            ReadOnlySpan<char> symbol = line.AsSpan(second + 1);
            int tab = symbol.IndexOf('\t');
            if (tab >= 0) symbol = symbol[..tab];
            if (symbol.SequenceEqual(name) && ulong.TryParse(line.AsSpan(0, first), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong a) && a != 0)
                return a;
        }
        return null;
    }
}
