using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Objects;

namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>Loads an object with <see cref="BpfObject"/> and summarises the result like <see cref="Reference.LibbpfReference"/> does.</summary>
public static class BpfSharpLoader
{
    public const string LoaderName = "BpfSharp";

    public static LoadedObjectSummary Load(string objectPath, string? pinRoot = null)
    {
        var options = new ObjectLoadOptions();
        if (pinRoot != null) options.PinPath = pinRoot;
        try
        {
            using BpfObject obj = BpfObject.Load(objectPath, options);
            var submitted = new Dictionary<string, int>(StringComparer.Ordinal);
            var attach = new Dictionary<string, BpfAttachType>(StringComparer.Ordinal);
            foreach (ProgramDefinition p in obj.Spec.Programs)
            {
                if (!obj.Programs.ContainsKey(p.Name)) continue;
                string kernelName = p.Name.Length > 15 ? p.Name[..15] : p.Name;
                submitted[kernelName] = InstructionList.SlotCount([.. p.Instructions]);
                if (p.ExpectedAttachType is { } a) attach[kernelName] = a;
            }
            return LoadedObjectSummary.FromKernelObjects(LoaderName, obj.Maps.Values, obj.Programs.Values, submitted, attach);
        }
        catch (BpfSyscallException e)
        {
            return LoadedObjectSummary.Refused(LoaderName, LoadOutcome.KernelRefused, e.Errno, e.Message);
        }
        catch (BpfException e)
        {
            return LoadedObjectSummary.Refused(LoaderName, LoadOutcome.LoaderRefused, null, e.Message);
        }
    }
}
