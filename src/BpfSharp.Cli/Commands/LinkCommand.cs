using System.CommandLine;
using System.Text.Json;
using BpfSharp.Links;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp link list [--json]</c>: every link in the kernel with its program and what it is attached to, like <c>bpftool link list</c>.</summary>
static class LinkCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print JSON instead of text" };
        var list = new Command("list", "list every BPF link in the kernel: id, type, program id and what it is attached to") { json };
        list.SetAction(parse => CommandErrors.Run(() =>
        {
            var links = new List<LinkInfo>();
            foreach (BpfLink link in KernelObjects.Links())
            {
                using (link)
                {
                    try
                    {
                        links.Add(link.GetInfo());
                    }
                    catch (BpfSyscallException e)
                    {
                        Console.Error.WriteLine($"note: link {link.Description}: its info cannot be read ({e.ErrnoName}); left out.");
                    }
                }
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(links, ListingJson.Default.ListLinkInfo));
                return 0;
            }
            foreach (LinkInfo info in links)
            {
                Console.WriteLine($"{info.Id}: {info.Type}  prog {info.ProgramId}");
                string attached = LinkDescription.Describe(info);
                if (attached.Length > 0) Console.WriteLine($"\t{attached}");
            }
            return 0;
        }));
        return new Command("link", "the kernel's BPF links") { list };
    }
}
