using System.Globalization;

namespace Cloud.Testing;

/// <summary>
/// One of the platform's roles started as the real process it is in production: the built
/// <c>Cloud.&lt;Role&gt;.dll</c> run by <c>dotnet</c>, with its settings as command-line arguments.
/// </summary>
public sealed class RoleProcess : IAsyncDisposable
{
    private RoleProcess(string role, ExternalProcess process, int port)
    {
        Role = role;
        Process = process;
        Port = port;
    }

    public string Role { get; }

    public ExternalProcess Process { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <param name="role">Project folder under <c>src/</c>: Constructor, Allocator, Runner or Proxy.</param>
    /// <param name="settings">Configuration keys (<c>Section:Key</c>) and values.</param>
    public static RoleProcess Start(string role, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(RepositoryRoot.Path, "src", role, "bin", BuildConfiguration, "net10.0", $"Cloud.{role}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build src/{role} first: {dll} is missing.", dll);
        }

        var port = FreePorts.Next();
        var arguments = new List<string> { "exec", dll, "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}") };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            arguments.Add($"--{key}={value}");
        }

        var process = ExternalProcess.Start("dotnet", arguments, new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" });
        return new RoleProcess(role, process, port);
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static string BuildConfiguration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif
}
