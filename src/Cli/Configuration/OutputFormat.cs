namespace Cloud.Cli.Configuration;

public enum OutputFormat
{
    /// <summary>Human tables and live progress.</summary>
    Table,

    /// <summary>One JSON document on stdout, for scripts.</summary>
    Json,
}
