namespace BpfSharp.Cli.Commands;

/// <summary>Runs a command body: a BpfSharp or I/O failure prints its message to stderr and exits 1, anything else is a bug and keeps its stack trace.</summary>
static class CommandErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
