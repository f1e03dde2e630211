using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// One keep-alive connection to an instance: Kestrel's own socket transport (pipes over a socket, the receive loop
/// already running), so a close by the instance while the connection idles in the pool is seen before reuse.
/// </summary>
internal sealed class BackendConnection : IAsyncDisposable
{
    private readonly ConnectionContext _connection;

    public BackendConnection(ConnectionContext connection)
    {
        _connection = connection;
    }

    public PipeReader Input => _connection.Transport.Input;

    public PipeWriter Output => _connection.Transport.Output;

    /// <summary>Set when the connection came from the pool: a failure on it may only mean the instance closed it while idle.</summary>
    public bool Reused { get; set; }

    /// <summary><see cref="Environment.TickCount64"/> when it went back to the pool.</summary>
    public long IdleSince { get; set; }

    /// <summary>
    /// Whether an idle connection can carry a request: the instance has sent nothing since the last response (not
    /// even the FIN of an idle close, nor an error), which a pending read would have seen by now.
    /// </summary>
    public bool IsIdleAndOpen()
    {
        try
        {
            if (!Input.TryRead(out var result))
            {
                return true;
            }

            Input.AdvanceTo(result.Buffer.Start);
            return false;
        }
        catch (Exception ex) when (ex is ConnectionResetException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Abort() => _connection.Abort();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
