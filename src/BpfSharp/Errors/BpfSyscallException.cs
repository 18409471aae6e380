using BpfSharp.Abi;

namespace BpfSharp;

/// <summary>
/// A bpf(2) (or related) system call failed. Carries the command, the errno and its name, and a sentence on the
/// usual cause of that errno for that command.
/// </summary>
public class BpfSyscallException : BpfException
{
    public BpfSyscallException(BpfCommand command, int errno, string? context = null, string? detail = null)
        : base(Format(command, errno, context, detail))
    {
        Command = command;
        Errno = (Errno)errno;
        Context = context;
    }

    /// <summary>The bpf(2) command that failed.</summary>
    public BpfCommand Command { get; }

    /// <summary>The errno the kernel returned.</summary>
    public Errno Errno { get; }

    /// <summary>The errno's symbolic name, e.g. <c>EPERM</c>.</summary>
    public string ErrnoName => ErrnoNames.Name((int)Errno);

    /// <summary>What was being done (e.g. "creating map 'counts'"), when known.</summary>
    public string? Context { get; }

    /// <summary>The usual cause of this errno for this command.</summary>
    public string Hint => ErrnoHints.Explain(Command, (int)Errno);

    static string Format(BpfCommand command, int errno, string? context, string? detail)
    {
        string what = context is null ? CommandName(command) : $"{CommandName(command)} ({context})";
        string text = ErrnoNames.Describe(errno);
        string message = $"{what} failed with {ErrnoNames.Name(errno)} ({text}): {ErrnoHints.Explain(command, errno)}";
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
