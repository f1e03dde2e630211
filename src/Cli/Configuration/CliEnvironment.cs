namespace Cloud.Cli.Configuration;

/// <summary>What the tool reads from outside its command line; tests pass their own.</summary>
public sealed record CliEnvironment(IReadOnlyDictionary<string, string> Variables, string ConfigFile)
{
    public const string ApiUrlVariable = "CLOUD_API_URL";
    public const string ApiKeyVariable = "CLOUD_API_KEY";

    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { ApiUrlVariable, ApiKeyVariable })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                variables[name] = value;
            }
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new CliEnvironment(variables, Path.Combine(home, ".cloud", "config"));
    }
}
