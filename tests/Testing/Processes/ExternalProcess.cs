using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cloud.Testing;

/// <summary>
/// A child process started for a test, with its output captured so a failing test can show it.
/// Disposal kills the whole process tree, so nothing outlives the test.
/// </summary>
public sealed partial class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ExternalProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The command's own process id: <see cref="Id"/> is the watchdog shell's, whose children are the command
    /// and the watcher subshell. Null until the command has been started (or after it exited).
    /// </summary>
    public int? CommandId
    {
        get
        {
            var children = $"/proc/{_process.Id}/task/{_process.Id}/children";
            if (!File.Exists(children))
            {
                return null;
            }

            foreach (var child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    if (File.ReadAllText($"/proc/{child}/comm").Trim() != "bash")
                    {
                        return int.Parse(child, System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
                catch (IOException)
                {
                    // Gone meanwhile.
                }
            }

            return null;
        }
    }

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Output => [.. _output];

    // Runs the command with a watchdog on our end of its stdin pipe: when the test process dies
    // (even by SIGKILL) the pipe closes, the watchdog sees end-of-file and kills the command, so no
    // server outlives the test run. SIGTERM is passed on; the command's own exit code is passed back.
    private const string Watchdog = """
        "$@" </dev/null &
        child=$!
        trap 'kill -TERM "$child" 2>/dev/null' TERM
        { cat >/dev/null; kill -KILL "$child" 2>/dev/null; } <&0 >/dev/null 2>&1 &
        watcher=$!
        while :; do
          wait "$child"
          status=$?
          kill -0 "$child" 2>/dev/null || break
        done
        kill "$watcher" 2>/dev/null
        exit $status
        """;

    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Watchdog);
        info.ArgumentList.Add("watchdog");
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var external = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => external.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => external.Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    /// <summary>
    /// Runs a command to its end and returns its exit code and output (stdout and stderr interleaved). Past
    /// <paramref name="timeout"/> it kills the command's whole tree and throws with the output so far, so a
    /// test that times out says where the command was instead of a bare cancellation.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var process = Start(fileName, arguments, environment);
        if (!await process.WaitForExitAsync(timeout))
        {
            await process.KillAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeout}; its output so far:\n{string.Join('\n', process.Output)}");
        }

        return (process.ExitCode, string.Join('\n', process.Output));
    }

    /// <summary>Sends SIGTERM, the signal systemd and docker use to ask a process to stop.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing to stop.
        }

        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
