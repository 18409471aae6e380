using BpfSharp.Abi;

namespace BpfSharp;

/// <summary>
/// A bpf(2) (or related) system call failed. Carries the command, the errno and its name, and a sentence on the
/// usual cause of that errno for that command.
/// </summary>
public class BpfSyscallException : BpfException
{
    public BpfSyscallException(BpfCommand command, int errno, string? context = null, string? detail = null)
        : base(Format(CommandName(command), ErrnoHints.Explain(command, errno), errno, context, detail))
    {
        Command = command;
        Syscall = CommandName(command);
        Errno = (Errno)errno;
        Context = context;
    }

    /// <summary>A failed system call other than bpf(2) (mmap, perf_event_open, …), with the usual cause in <paramref name="hint"/>.</summary>
    public BpfSyscallException(string syscall, int errno, string hint, string? context = null)
        : base(Format(syscall, hint, errno, context, null))
    {
        Syscall = syscall;
        Errno = (Errno)errno;
        Context = context;
    }

    /// <summary>The bpf(2) command that failed, or null when another system call failed.</summary>
    public BpfCommand? Command { get; }

    /// <summary>The failed call: a bpf(2) command name such as <c>BPF_MAP_CREATE</c>, or e.g. <c>mmap</c>.</summary>
    public string Syscall { get; }

    /// <summary>The errno the kernel returned.</summary>
    public Errno Errno { get; }

    /// <summary>The errno's symbolic name, e.g. <c>EPERM</c>.</summary>
    public string ErrnoName => ErrnoNames.Name((int)Errno);

    /// <summary>What was being done (e.g. "creating map 'counts'"), when known.</summary>
    public string? Context { get; }

    /// <summary>The usual cause of this errno for this command.</summary>
    public string Hint => Command is { } c ? ErrnoHints.Explain(c, (int)Errno) : "";

    static string Format(string syscall, string hint, int errno, string? context, string? detail)
    {
        string what = context is null ? syscall : $"{syscall} ({context})";
        string text = ErrnoNames.Describe(errno);
        string message = $"{what} failed with {ErrnoNames.Name(errno)} ({text}): {hint}";
        return detail is null ? message : message + Environment.NewLine + detail;
    }

    /// <summary><see cref="BpfCommand.MapCreate"/> → <c>BPF_MAP_CREATE</c>.</summary>
    public static string CommandName(BpfCommand command)
    {
        string pascal = command.ToString();
        var sb = new System.Text.StringBuilder("BPF");
        foreach (char c in pascal)
        {
            if (char.IsUpper(c)) sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}

/// <summary>The running kernel does not support a map type, program type, helper or feature.</summary>
public sealed class BpfNotSupportedException : BpfException
{
    public BpfNotSupportedException(string message, Exception? inner = null) : base(message, inner) { }
}
