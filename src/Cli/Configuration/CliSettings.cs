namespace Cloud.Cli.Configuration;

/// <summary>Where the API is and how to call it, resolved from flags, environment and the config file.</summary>
public sealed record CliSettings(Uri ApiUrl, string? ApiKey, OutputFormat Output);
