using System.Text.Json;

namespace Cloud.Cli.Configuration;

/// <summary>
/// Resolves the API URL and key: a flag beats the environment (<c>CLOUD_API_URL</c>,
/// <c>CLOUD_API_KEY</c>), which beats the config file (<c>~/.cloud/config</c>, JSON
/// <c>{"api_url": ..., "api_key": ...}</c>), which beats the default <c>http://127.0.0.1:12400</c>.
/// </summary>
public static class CliSettingsResolver
{
    public static readonly Uri DefaultApiUrl = new("http://127.0.0.1:12400/");

    public static CliSettings Resolve(string? urlFlag, string? keyFlag, OutputFormat output, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var file = ReadFile(environment.ConfigFile);
        var url = urlFlag ?? environment.Variables.GetValueOrDefault(CliEnvironment.ApiUrlVariable) ?? file.GetValueOrDefault("api_url");
        var key = keyFlag ?? environment.Variables.GetValueOrDefault(CliEnvironment.ApiKeyVariable) ?? file.GetValueOrDefault("api_key");
        var apiUrl = DefaultApiUrl;
        if (!string.IsNullOrEmpty(url))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"API URL '{url}' is not an http(s) URL.");
            }

            apiUrl = new Uri(parsed.AbsoluteUri.TrimEnd('/') + "/");
        }

        return new CliSettings(apiUrl, string.IsNullOrEmpty(key) ? null : key, output);
    }

    private static Dictionary<string, string> ReadFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    values[property.Name] = property.Value.GetString()!;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{path} is not valid JSON ({ex.Message}); expected {{\"api_url\": ..., \"api_key\": ...}}.");
        }
        catch (InvalidOperationException)
        {
            throw new UsageException($"{path} must hold a JSON object {{\"api_url\": ..., \"api_key\": ...}}.");
        }

        return values;
    }
}
