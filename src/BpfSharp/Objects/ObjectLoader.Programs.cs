using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Programs;

namespace BpfSharp.Objects;

sealed partial class ObjectLoader
{
    BpfProgram LoadProgram(ProgramDefinition program)
    {
        var code = new List<Instruction>(program.Instructions);
        IReadOnlyList<Btf.Core.CoreRelocationOutcome> core = ApplyCoreRelocations(program, code);
        Instruction[] instructions = [.. code];
        AttachSourceLines(program, instructions);
        ResolveReferences(program, instructions);
        uint attachBtfId = ResolveAttachTarget(program);
        BpfAttachType? expectedAttachType = program.ExpectedAttachType;
        if (program.Type == BpfProgramType.StructOps)
        {
            if (!StructOpsTargets.TryGetValue(program.Name, out StructOpsTarget target))
                throw new BpfObjectException(ObjectName, $"program '{program.Name}'",
                    "is a struct_ops program but no .struct_ops map points at it, so there is no kernel member to load it against.");
            attachBtfId = target.StructId;
            expectedAttachType = (BpfAttachType)target.MemberIndex; // for struct_ops the kernel reads the member index here
        }
        var load = new ProgramLoadOptions
        {
            Type = program.Type,
            Instructions = instructions,
            License = spec.License,
            Name = program.Name,
            ExpectedAttachType = expectedAttachType,
            Flags = program.Flags,
            LogLevel = options.LogLevel,
            KernelVersion = spec.KernelVersion != 0 ? spec.KernelVersion
                : program.Type == BpfProgramType.Kprobe ? Kconfig.KernelVersionCode() : 0,
            AttachBtfId = attachBtfId,
            Btf = btf,
            FuncInfo = objectBtf?.FuncInfo(program) ?? default,
            LineInfo = objectBtf?.LineInfo(program) ?? default,
        };
        try
        {
            return BpfProgram.Load(load, syscalls);
        }
        catch (BpfVerifierException e)
        {
            BpfVerifierException explained = ExplainPoison(e, core);
            if (explained == e) throw;
            throw explained;
        }
    }

    /// <summary>Gives each instruction the C source line line_info names, so a verifier error can point at it.</summary>
    static void AttachSourceLines(ProgramDefinition program, Instruction[] instructions)
    {
        if (program.LineInfo.Count == 0) return;
        int[] slots = InstructionList.SlotPositions(instructions);
        int line = 0;
        SourceLocation? current = null;
        for (int i = 0; i < instructions.Length; i++)
        {
            while (line < program.LineInfo.Count && program.LineInfo[line].Slot <= slots[i])
            {
                LineInfoRecord r = program.LineInfo[line++];
                current = new SourceLocation(r.FileName, r.Line, r.Column, r.LineText);
            }
            if (current != null && instructions[i].Source is null) instructions[i] = instructions[i].WithSource(current);
        }
    }

    void ResolveReferences(ProgramDefinition program, Instruction[] instructions)
    {
        for (int i = 0; i < instructions.Length; i++)
        {
            Instruction insn = instructions[i];
            if (insn.Reference is not { } target) continue;
            if (insn.IsLoadImm64)
            {
                switch (insn.LoadImm64Source)
                {
                    case LoadImm64Source.MapFd:
                        instructions[i] = insn with { Constant = (uint)MapFor(program, target, i).Fd.RawValue };
                        break;
                    case LoadImm64Source.MapValue:
                        instructions[i] = insn with { Constant = ((long)insn.MapValueOffset << 32) | (uint)MapFor(program, target, i).Fd.RawValue };
                        break;
                    case LoadImm64Source.BtfId:
                        instructions[i] = ResolveKsymVariable(program, insn, target);
                        break;
                }
            }
            else if (insn.IsKfuncCall)
            {
                instructions[i] = ResolveKfunc(program, insn, target);
            }
        }
    }

    Maps.BpfMap MapFor(ProgramDefinition program, string name, int index) =>
        maps.TryGetValue(name, out Maps.BpfMap? map) ? map
            : throw new BpfObjectException(ObjectName, $"program '{program.Name}'",
                $"instruction {index} refers to map '{name}', which the object does not define.");

    /// <summary>
    /// The BTF id in the kernel's BTF that tracing, LSM and iterator programs must name at load time
    /// (<c>attach_btf_id</c>), found from the target in the section name.
    /// </summary>
    uint ResolveAttachTarget(ProgramDefinition program)
    {
        string? prefix = (program.Type, program.ExpectedAttachType) switch
        {
            (BpfProgramType.Tracing, BpfAttachType.TraceRawTp) => "btf_trace_",
            (BpfProgramType.Tracing, BpfAttachType.TraceIter) => "bpf_iter_",
            (BpfProgramType.Tracing, _) => "",
            (BpfProgramType.Lsm, _) => "bpf_lsm_",
            _ => null,
        };
        if (prefix is null) return 0;
        if (string.IsNullOrEmpty(program.AttachTarget))
            throw new BpfObjectException(ObjectName, $"program '{program.Name}'",
                $"section '{program.SectionName}' names no attach target; {program.Type} programs need one (e.g. SEC(\"fentry/do_unlinkat\")).");
        BtfSpec kernel = KernelBtf($"program '{program.Name}'");
        BtfKind kind = prefix == "btf_trace_" ? BtfKind.Typedef : BtfKind.Func;
        string name = prefix + program.AttachTarget;
        BtfType? type = kernel.Find(name, kind);
        if (type is null)
            throw new BpfObjectException(ObjectName, $"program '{program.Name}'",
                $"attach target '{program.AttachTarget}' of section '{program.SectionName}' is not in the kernel's BTF (looked for {kind} '{name}'); check the spelling, or whether this kernel has that function or tracepoint.");
        return type.Id;
    }
}
