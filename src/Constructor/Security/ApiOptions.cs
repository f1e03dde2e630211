namespace Cloud.Constructor.Security;

/// <summary>
/// API keys (configuration section <c>Api</c>). With no key configured the API is open (single-host
/// mode without <c>CLOUD_API_KEY</c>); once any key is set, every <c>/api</c> call needs
/// <c>Authorization: ApiKey &lt;key&gt;</c>.
/// </summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The admin key (name <c>admin</c>): may read and change everything.</summary>
    public string? AdminKey { get; set; }

    /// <summary>More admin keys, by name (the name becomes an override's <c>author</c>).</summary>
    public Dictionary<string, string> AdminKeys { get; set; } = [];

    /// <summary>Read-only keys, by name: GET only; a change answers 403.</summary>
    public Dictionary<string, string> ReadOnlyKeys { get; set; } = [];

    /// <summary>Largest request body accepted (413 beyond).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    public bool IsSecured => !string.IsNullOrEmpty(AdminKey) || AdminKeys.Count > 0 || ReadOnlyKeys.Count > 0;
}
