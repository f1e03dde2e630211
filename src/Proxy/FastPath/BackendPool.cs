using System.Collections.Concurrent;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Idle keep-alive connections to one instance address. A connection is checked when taken (closed by the
/// instance, or idle past the limit: dropped); <see cref="BackendPoolSweeper"/> closes the ones nothing takes.
/// </summary>
internal sealed class BackendPool
{
    private readonly ConcurrentQueue<BackendConnection> _idle = new();
    private readonly int _maxIdle;
    private readonly long _idleLimitMilliseconds;
    private int _count;

    public BackendPool(int maxIdle, TimeSpan idleLimit)
    {
        _maxIdle = maxIdle;
        _idleLimitMilliseconds = (long)idleLimit.TotalMilliseconds;
    }

    public int IdleCount => Volatile.Read(ref _count);

    public BackendConnection? TryTake()
    {
        var now = Environment.TickCount64;
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _count);
            if (now - connection.IdleSince < _idleLimitMilliseconds && connection.IsIdleAndOpen())
            {
                connection.Reused = true;
                return connection;
            }

            _ = DisposeQuietlyAsync(connection);
        }

        return null;
    }

    public void Return(BackendConnection connection)
    {
        if (Interlocked.Increment(ref _count) > _maxIdle)
        {
            Interlocked.Decrement(ref _count);
            _ = DisposeQuietlyAsync(connection);
            return;
        }

        connection.IdleSince = Environment.TickCount64;
        _idle.Enqueue(connection);
    }

    /// <summary>
    /// Closes the idle connections past the idle limit, or all of them (<paramref name="all"/>: the instance is no
    /// longer routed, so nothing would take them). Each connection is looked at once; busy ones are not in the queue.
    /// </summary>
    public void CloseIdle(bool all, long now)
    {
        for (var seen = Volatile.Read(ref _count); seen > 0 && _idle.TryDequeue(out var connection); seen--)
        {
            if (!all && now - connection.IdleSince < _idleLimitMilliseconds)
            {
                // Still fresh: back in the queue, behind the ones that came back since.
                _idle.Enqueue(connection);
                continue;
            }

            Interlocked.Decrement(ref _count);
            _ = DisposeQuietlyAsync(connection);
        }
    }

    public static async Task DisposeQuietlyAsync(BackendConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing a connection that already broke: nothing left to do with it.
        }
    }
}
