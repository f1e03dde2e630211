using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Cloud.Shared.Hosting;

/// <summary>
/// The role's configuration file, named by <c>--config</c> (the systemd units pass
/// <c>/etc/cloud/&lt;role&gt;.json</c>). It ranks below environment variables (the unit's
/// <c>EnvironmentFile</c>) and the command line, so an operator can override one key without editing it.
/// </summary>
public static class ConfigurationFile
{
    public const string Key = "config";

    public static void AddFromCommandLine(ConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[Key] is not { Length: > 0 } path)
        {
            return;
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The configuration file {full} (--config) does not exist.", full);
        }

        var source = new JsonConfigurationSource
        {
            Path = Path.GetFileName(full),
            FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(full)!),
            Optional = false,
            ReloadOnChange = false,
        };
        var sources = configuration.Sources;
        var environment = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        sources.Insert(environment.s is null ? 0 : environment.i, source);
    }
}
