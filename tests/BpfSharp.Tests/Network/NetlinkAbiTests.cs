using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Interop.Netlink;
using Xunit;

namespace BpfSharp.Tests.Network;

/// <summary>
/// The netlink, rtnetlink and tc constants and structs are kept by hand in Interop/Netlink (most are members of
/// anonymous, implicitly numbered enums in the UAPI headers). This test compiles a C program against the system's
/// headers that prints every one of them, and compares with the C# values and layouts.
/// </summary>
public class NetlinkAbiTests
{
    static readonly Type[] ConstantClasses =
    [
        typeof(NetlinkProtocol), typeof(RtNetlinkProtocol), typeof(IfLinkProtocol), typeof(PktSchedProtocol),
        typeof(PktClsProtocol), typeof(EtherProtocol), typeof(SocketNative),
    ];

    /// <summary>Constants whose C# name is not a C name, with the C expression they stand for.</summary>
    static readonly Dictionary<string, string> CExpressions = new() { ["O_RDONLY_CLOEXEC"] = "(O_RDONLY | O_CLOEXEC)" };

    /// <summary>Each struct and its fields, in the C names.</summary>
    static readonly (Type Type, string C, string[] Fields)[] Structs =
    [
        (typeof(NetlinkMessageHeader), "struct nlmsghdr", ["nlmsg_len", "nlmsg_type", "nlmsg_flags", "nlmsg_seq", "nlmsg_pid"]),
        (typeof(NetlinkAttributeHeader), "struct nlattr", ["nla_len", "nla_type"]),
        (typeof(InterfaceInfoMessage), "struct ifinfomsg", ["ifi_family", "__ifi_pad", "ifi_type", "ifi_index", "ifi_flags", "ifi_change"]),
        (typeof(TrafficControlMessage), "struct tcmsg", ["tcm_family", "tcm__pad1", "tcm__pad2", "tcm_ifindex", "tcm_handle", "tcm_parent", "tcm_info"]),
    ];

    [Fact]
    public void EveryConstantAndStructMatchesTheSystemHeaders()
    {
        var expected = new Dictionary<string, long>();
        var program = new StringBuilder("""
            #define _GNU_SOURCE
            #include <stdio.h>
            #include <stddef.h>
            #include <fcntl.h>
            #include <sched.h>
            #include <sys/socket.h>
            #include <net/if.h>
            #include <linux/netlink.h>
            #include <linux/rtnetlink.h>
            #include <linux/if_link.h>
            #include <linux/pkt_sched.h>
            #include <linux/pkt_cls.h>
            #include <linux/if_ether.h>
            #define P(name, value) printf("%s=%lld\n", name, (long long)(value));
            int main(void) {

            """);
        foreach (Type type in ConstantClasses)
        {
            foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                object value = f.GetRawConstantValue()!;
                string cast = value switch { byte => "unsigned char", ushort => "unsigned short", uint => "unsigned int", _ => "int" };
                string expression = CExpressions.GetValueOrDefault(f.Name, f.Name);
                program.AppendLine($"P(\"{f.Name}\", ({cast})({expression}))");
                expected[f.Name] = Convert.ToInt64(value);
            }
        }
        foreach (var (type, c, fields) in Structs)
        {
            program.AppendLine($"P(\"sizeof {c}\", sizeof({c}))");
            expected[$"sizeof {c}"] = Marshal.SizeOf(type);
            FieldInfo[] csharp = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
            Assert.Equal(fields.Length, csharp.Length);
            for (int i = 0; i < fields.Length; i++)
            {
                program.AppendLine($"P(\"offsetof {c}.{fields[i]}\", offsetof({c}, {fields[i]}))");
                expected[$"offsetof {c}.{fields[i]}"] = Marshal.OffsetOf(type, csharp[i].Name).ToInt64();
            }
        }
        program.AppendLine("return 0; }");

        Dictionary<string, long> actual = CompileAndRun(program.ToString());
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    static Dictionary<string, long> CompileAndRun(string source)
    {
        string dir = Directory.CreateTempSubdirectory("netlinkabi").FullName;
        try
        {
            string c = Path.Combine(dir, "abi.c"), exe = Path.Combine(dir, "abi");
            File.WriteAllText(c, source);
            string compiled;
            try { compiled = Run("gcc", "-o", exe, c); }
            catch (Win32Exception) when (!Kernel.InCi)
            {
                Assert.Skip("gcc is not installed (test.sh installs it)");
                throw;
            }
            return Run(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('='))
                .ToDictionary(p => p[0], p => long.Parse(p[1]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {error}");
        return output;
    }
}
