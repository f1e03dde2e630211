namespace Cloud.Cli;

/// <summary>The user asked for something that cannot be sent (exit code 2); nothing was changed.</summary>
public sealed class UsageException(string message) : Exception(message);
