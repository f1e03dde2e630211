using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Cloud.Testing;

/// <summary>
/// A real ZooKeeper 3.8 server (Debian's package) on a free loopback port with its own temporary
/// data dir. Stop and start it again on the same port and data to simulate an outage.
/// </summary>
public sealed class ZooKeeperServer : IAsyncDisposable
{
    public const int TickTimeMs = 500;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _configPath;
    private readonly string _mainClass;
    private ExternalProcess? _process;
    private IReadOnlyList<string> _systemProperties = [];

    private ZooKeeperServer(string directory, int port, string configPath, string mainClass)
    {
        Directory = directory;
        Port = port;
        _configPath = configPath;
        _mainClass = mainClass;
    }

    public int Port { get; }

    public string Directory { get; }

    public string ConnectString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts one standalone server.</summary>
    public static Task<ZooKeeperServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync([], cancellationToken);

    /// <summary>Starts one standalone server with extra JVM system properties ("-Dname=value"), e.g. to shorten the container check interval.</summary>
    public static async Task<ZooKeeperServer> StartAsync(IReadOnlyList<string> systemProperties, CancellationToken cancellationToken = default)
    {
        var server = Create(FreePorts.Next(), myId: null, quorum: null);
        server._systemProperties = systemProperties;
        try
        {
            await server.StartAgainAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    internal static ZooKeeperServer Create(int clientPort, int? myId, string? quorum)
    {
        ZooKeeperPackage.EnsureInstalled();
        var directory = Path.Combine(Path.GetTempPath(), "cloud-zk-" + Guid.NewGuid().ToString("N")[..12]);
        var dataDir = Path.Combine(directory, "data");
        System.IO.Directory.CreateDirectory(dataDir);
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"tickTime={TickTimeMs}")
            .AppendLine(CultureInfo.InvariantCulture, $"dataDir={dataDir}")
            .AppendLine(CultureInfo.InvariantCulture, $"clientPort={clientPort}")
            .AppendLine("clientPortAddress=127.0.0.1")
            .AppendLine("minSessionTimeout=1000")
            .AppendLine("maxSessionTimeout=60000")
            .AppendLine("maxClientCnxns=0")
            .AppendLine("admin.enableServer=false")
            .AppendLine("4lw.commands.whitelist=*")
            .AppendLine("initLimit=20")
            .AppendLine("syncLimit=10");
        if (myId is { } id && quorum is not null)
        {
            File.WriteAllText(Path.Combine(dataDir, "myid"), id.ToString(CultureInfo.InvariantCulture));
            config.Append(quorum);
        }

        var configPath = Path.Combine(directory, "zoo.cfg");
        File.WriteAllText(configPath, config.ToString());
        var mainClass = myId is null
            ? "org.apache.zookeeper.server.ZooKeeperServerMain"
            : "org.apache.zookeeper.server.quorum.QuorumPeerMain";
        return new ZooKeeperServer(directory, clientPort, configPath, mainClass);
    }

    /// <summary>Starts the server process (again) on the same port and data dir and waits until it serves.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        Launch();
        await WaitUntilServingAsync(cancellationToken);
    }

    internal void Launch()
    {
        if (IsRunning)
        {
            return;
        }

        _process = ExternalProcess.Start("java",
        [
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dzookeeper.admin.enableServer=false",
            .. _systemProperties,
            "-cp", ZooKeeperPackage.ClassPath,
            _mainClass, _configPath,
        ]);
    }

    /// <summary>Kills the server (as a crash would); its data dir stays for a later start.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Waits until the server answers <c>srvr</c> as a leader, follower or standalone server.</summary>
    public async Task WaitUntilServingAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException(
                    $"ZooKeeper on port {Port} exited with {_process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, _process.Output)}");
            }

            try
            {
                var answer = await TryFourLetterWordAsync("srvr", timeout.Token);
                if (answer is not null && answer.Contains("Mode: ", StringComparison.Ordinal))
                {
                    return;
                }

                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"ZooKeeper on port {Port} did not start serving within {StartTimeout}.");
            }
        }
    }

    /// <summary>
    /// Sends a four-letter-word admin command (<c>srvr</c>, <c>cons</c>, <c>mntr</c>...); null when the server
    /// does not answer within a few seconds (a starting server can accept the connection and say nothing).
    /// Each probe has its own deadline; only the caller's own cancellation throws.
    /// </summary>
    public async Task<string?> TryFourLetterWordAsync(string command, CancellationToken cancellationToken = default)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, probe.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command), probe.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync(probe.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless; failing the test for it is not.
        }
    }
}
