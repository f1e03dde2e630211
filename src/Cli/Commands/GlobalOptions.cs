using System.CommandLine;
using Cloud.Cli.Configuration;

namespace Cloud.Cli.Commands;

/// <summary>Options every command takes (one set per run: a symbol belongs to one command tree).</summary>
public sealed class GlobalOptions
{
    public Option<string?> ApiUrl { get; } = new("--api-url")
    {
        Description = "Constructor API URL (else $CLOUD_API_URL, ~/.cloud/config, http://127.0.0.1:12400)",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key (else $CLOUD_API_KEY, ~/.cloud/config)",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (default) or json",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };
}
