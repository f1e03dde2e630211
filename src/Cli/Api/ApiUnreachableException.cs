namespace Cloud.Cli.Api;

/// <summary>No answer from the API at all (exit code 3).</summary>
public sealed class ApiUnreachableException(Uri apiUrl, Exception inner)
    : Exception($"Cannot reach the API at {apiUrl}: {inner.Message}", inner);
