using Cloud.Runner.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Runner.Tests.Integration;

/// <summary>A runner composed exactly as Program.cs composes it, in this process, for one simulated host.</summary>
internal sealed class RunnerHost : IAsyncDisposable
{
    public const int SessionTimeoutSeconds = 3;

    private readonly IHost _host;

    private RunnerHost(IHost host) => _host = host;

    public RunnerService Service => _host.Services.GetRequiredService<RunnerService>();

    /// <param name="replace">Registrations made after the runner's own, replacing them (a test's clock or engine).</param>
    public static async Task<RunnerHost> StartAsync(string hostId, string dataRoot, string connectString, IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? replace = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["Runner:HostId"] = hostId,
            ["Runner:DataRoot"] = dataRoot,
            ["Runner:ResyncInterval"] = "00:00:02",
            ["Runner:RetryDelay"] = "00:00:00.200",
            ["ZooKeeper:ConnectString"] = connectString,
            ["ZooKeeper:SessionTimeoutSeconds"] = SessionTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ZooKeeper:RequestTimeoutSeconds"] = "5",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddRunner(builder.Configuration);
        replace?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new RunnerHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
