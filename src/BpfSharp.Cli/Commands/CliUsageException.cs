namespace BpfSharp.Cli.Commands;

/// <summary>The command line names something that is not there or not unique (a map name, an id); the message says what there is.</summary>
sealed class CliUsageException(string message) : BpfException(message);
