using BpfSharp.Abi;

namespace BpfSharp;

/// <summary>Names and descriptions of errno values, including the kernel-internal ones bpf(2) leaks.</summary>
public static class ErrnoNames
{
    /// <summary>The kernel's internal "operation not supported" (include/linux/errno.h), which bpf(2) returns as-is.</summary>
    public const int ENOTSUPP = 524;

    public static string Name(int errno) => errno switch
    {
        ENOTSUPP => "ENOTSUPP",
        _ when Enum.IsDefined((Errno)errno) => ((Errno)errno).ToString(),
        _ => $"errno {errno}",
    };

    public static string Describe(int errno) => errno == ENOTSUPP
        ? "Operation is not supported"
        : ErrnoText.Describe((Errno)errno) ?? "unknown error";
}
