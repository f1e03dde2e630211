using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// The fast path's idle limits, which Kestrel applies to the connections it serves itself: a kept-alive client
/// connection waiting for its next request is closed after Kestrel's keep-alive timeout, and one whose request moved
/// no bytes either way for <see cref="ProxyOptions.ActivityTimeoutSeconds"/> is aborted (with its instance
/// connection). One sweep a second over the open connections instead of a timer per request.
/// </summary>
internal sealed class IdleConnectionReaper : IDisposable
{
    // Kestrel's default KeepAliveTimeout.
    private static readonly long KeepAliveMilliseconds = (long)TimeSpan.FromSeconds(130).TotalMilliseconds;

    private readonly ConcurrentDictionary<ConnectionContext, ActivityClock> _connections = new();
    private readonly long _activityMilliseconds;
    private readonly Timer _timer;

    public IdleConnectionReaper(IOptions<ProxyOptions> options)
    {
        _activityMilliseconds = options.Value.ActivityTimeoutSeconds * 1000L;
        _timer = new Timer(static state => ((IdleConnectionReaper)state!).Sweep(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Add(ConnectionContext connection, ActivityClock clock) => _connections[connection] = clock;

    public void Remove(ConnectionContext connection) => _connections.TryRemove(connection, out _);

    /// <summary>Aborts the connections past their limit; internal so a test can sweep without waiting.</summary>
    internal void Sweep(long? now = null)
    {
        var at = now ?? Environment.TickCount64;
        foreach (var (connection, clock) in _connections)
        {
            var limit = clock.InRequest ? _activityMilliseconds : KeepAliveMilliseconds;
            if (at - clock.LastActivity > limit)
            {
                _connections.TryRemove(connection, out _);
                connection.Abort(new ConnectionAbortedException("idle past the proxy's limit"));
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
