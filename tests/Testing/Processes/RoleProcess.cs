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

        return Launch(role, "dotnet", ["exec", dll], settings);
    }

    /// <summary>
    /// The role as published (a native executable for the runner and allocator, see their csproj), for
    /// measurements of the deployed process rather than of the framework-dependent build.
    /// </summary>
    /// <param name="executable">The published executable, e.g. <c>publish/runner/Cloud.Runner</c>.</param>
    public static RoleProcess StartPublished(string role, string executable, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"Publish src/{role} first: {executable} is missing.", executable);
        }

        return Launch(role, executable, [], settings);
    }

    private static RoleProcess Launch(string role, string fileName, List<string> arguments, IReadOnlyDictionary<string, string>? settings)
    {
        var port = FreePorts.Next();
        arguments.AddRange(["--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")]);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            arguments.Add($"--{key}={value}");
        }

        var process = ExternalProcess.Start(fileName, arguments, new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" });
        return new RoleProcess(role, process, port);
    }

    /// <summary>
    /// Waits until the role answers <c>/health</c>. A process that exits or stays silent fails with its
    /// exit code and last output lines, so a slow start and a crash at start are told apart.
    /// </summary>
    public async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !Process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        var state = Process.HasExited ? $"exited with code {Process.ExitCode}" : $"not answering after {timeout.TotalSeconds:0} s";
        throw new TimeoutException($"{Role} on port {Port} {state}; its last output:\n{string.Join('\n', Process.Output.TakeLast(30))}");
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <summary>The configuration the tests were built in; the processes they start were built with them.</summary>
    public static string BuildConfiguration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif
}
