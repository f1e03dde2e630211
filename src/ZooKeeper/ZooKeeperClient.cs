using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;
using Cloud.ZooKeeper.Session;
using Cloud.ZooKeeper.Watches;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.ZooKeeper;

/// <summary>
/// A ZooKeeper client holding one session over one connection at a time. Calls are pipelined: any
/// number may be outstanding and replies are matched in order. Every call honours its cancellation
/// token and <see cref="ZooKeeperClientOptions.RequestTimeout"/>; failures surface as subclasses of
/// <see cref="ZooKeeperException"/>.
/// </summary>
public sealed partial class ZooKeeperClient : IAsyncDisposable
{
    private const int PersistentWithTtlFlag = 5;
    private const int PersistentSequentialWithTtlFlag = 6;

    /// <summary>The server keeps a TTL in 40 bits of the ephemeral owner.</summary>
    private const long MaxTtlMs = 0xFF_FFFF_FFFFL;

    private readonly ZooKeeperSession _session;
    private readonly ConnectString _connectString;
    private readonly ILogger _logger;

    private ZooKeeperClient(ZooKeeperClientOptions options, ILogger logger)
    {
        _connectString = Session.ConnectString.Parse(options.ConnectString);
        _logger = logger;
        _session = new ZooKeeperSession(options, _connectString, logger, RaiseConnectionStateChanged);
        Options = options;
    }

    public ZooKeeperClientOptions Options { get; }

    public long SessionId => _session.SessionId;

    public ConnectionState State => _session.State;

    /// <summary>"host:port" of the server this client is connected to, or null while disconnected.</summary>
    public string? ConnectedServer => _session.ConnectedServer?.ToString();

    /// <summary>The timeout the server granted.</summary>
    public TimeSpan NegotiatedSessionTimeout => _session.NegotiatedTimeout;

    /// <summary>
    /// Raised, in order and one at a time, on every connection state change. Each handler is called on its
    /// own: one that throws is logged and does not keep the change from the others.
    /// </summary>
    public event Action<ConnectionStateChange>? ConnectionStateChanged;

    /// <summary>Starts a session and returns once connected (or fails after the connect timeout).</summary>
    public static async Task<ZooKeeperClient> ConnectAsync(ZooKeeperClientOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ZooKeeperClient(options, logger ?? NullLogger.Instance);
        client._session.Start();
        var timeout = options.ConnectTimeout ?? options.RequestTimeout;
        try
        {
            await client._session.WaitUntilConnectedAsync(cancellationToken).WaitAsync(timeout, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (TimeoutException)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new ConnectionLossException(null, $"Could not connect to ZooKeeper at {options.ConnectString} within {timeout.TotalSeconds:F1} s.");
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default) => _session.WaitUntilConnectedAsync(cancellationToken);

    public async Task<string> CreateAsync(string path, byte[] data, CreateMode mode = CreateMode.Persistent, IReadOnlyList<Acl>? acl = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sequential = mode is CreateMode.PersistentSequential or CreateMode.EphemeralSequential;
        PathValidator.Validate(path, sequential);
        var opCode = RequestBodies.CreateOpCode(mode);
        using var writer = RequestFrame.Start(opCode, capacity: data.Length + path.Length + 64);
        RequestBodies.WriteCreate(writer, _connectString.ToServerCreatePath(path, sequential), data, acl ?? DefaultAclFor(path), mode);
        var chroot = _connectString;
        var created = await _session.SubmitAsync(
            new PendingRequest<string>(opCode, path, (ref JuteReader r) => chroot.ToClientPath(r.ReadString() ?? string.Empty)),
            writer,
            cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>
    /// Creates a persistent node the server deletes once it has had no change and no child for
    /// <paramref name="ttl"/> (checked with the container sweep). Needs servers started with
    /// zookeeper.extendedTypesEnabled=true; others answer <see cref="UnimplementedException"/>.
    /// </summary>
    public async Task<string> CreateWithTtlAsync(string path, byte[] data, TimeSpan ttl, bool sequential = false, IReadOnlyList<Acl>? acl = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (ttl <= TimeSpan.Zero || ttl.TotalMilliseconds > MaxTtlMs)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"A TTL must be between 1 ms and {MaxTtlMs} ms.");
        }

        PathValidator.Validate(path, sequential);
        using var writer = RequestFrame.Start(OpCode.CreateTtl, capacity: data.Length + path.Length + 64);
        writer.WriteString(_connectString.ToServerCreatePath(path, sequential));
        writer.WriteBuffer(data);
        var entries = acl ?? DefaultAclFor(path);
        writer.WriteInt(entries.Count);
        foreach (var entry in entries)
        {
            entry.Write(writer);
        }

        writer.WriteInt(sequential ? PersistentSequentialWithTtlFlag : PersistentWithTtlFlag);
        writer.WriteLong((long)ttl.TotalMilliseconds);
        var chroot = _connectString;
        return await _session.SubmitAsync(
            new PendingRequest<string>(OpCode.CreateTtl, path, (ref JuteReader r) => chroot.ToClientPath(r.ReadString() ?? string.Empty)),
            writer,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates <paramref name="path"/> and any missing parent (persistent, open ACL); succeeds if it already exists.</summary>
    public async Task CreateRecursiveAsync(string path, byte[]? data = null, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        if (path == "/" || await ExistsAsync(path, null, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var index = 0;
        while ((index = path.IndexOf('/', index + 1)) > 0)
        {
            await CreateIfMissingAsync(path[..index], [], cancellationToken).ConfigureAwait(false);
        }

        await CreateIfMissingAsync(path, data ?? [], cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAsync(string path, int version = -1, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.Delete, capacity: path.Length + 32);
        writer.WriteString(_connectString.ToServerDeletePath(path));
        writer.WriteInt(version);
        return _session.SubmitAsync(new PendingRequest<bool>(OpCode.Delete, path, static (ref JuteReader _) => true), writer, cancellationToken);
    }

    public Task<Stat> SetDataAsync(string path, byte[] data, int version = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.SetData, capacity: data.Length + path.Length + 32);
        writer.WriteString(ServerPath(path));
        writer.WriteBuffer(data);
        writer.WriteInt(version);
        return _session.SubmitAsync(new PendingRequest<Stat>(OpCode.SetData, path, Stat.Read), writer, cancellationToken);
    }

    /// <summary>The node's stat, or null if it does not exist. A watcher fires on creation, deletion or data change.</summary>
    public Task<Stat?> ExistsAsync(string path, Watcher? watcher = null, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.Exists, capacity: path.Length + 32);
        RequestBodies.WritePathAndWatch(writer, ServerPath(path), watcher is not null);
        var watch = watcher is null ? null : new WatchRegistration(WatchKind.Exist, path, watcher);
        return _session.SubmitAsync(
            new PendingRequest<Stat?>(OpCode.Exists, path, static (ref JuteReader r) => Stat.Read(ref r), watch, null),
            writer,
            cancellationToken);
    }

    /// <summary>The node's data and stat. A watcher fires on data change or deletion.</summary>
    public Task<DataResult> GetDataAsync(string path, Watcher? watcher = null, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.GetData, capacity: path.Length + 32);
        RequestBodies.WritePathAndWatch(writer, ServerPath(path), watcher is not null);
        var watch = watcher is null ? null : new WatchRegistration(WatchKind.Data, path, watcher);
        return _session.SubmitAsync(new PendingRequest<DataResult>(OpCode.GetData, path, ReadData, watch), writer, cancellationToken);
    }

    /// <summary>The node's children (unordered) and stat (getChildren2). A watcher fires when children change or the node is deleted.</summary>
    public Task<ChildrenResult> GetChildrenAsync(string path, Watcher? watcher = null, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.GetChildren2, capacity: path.Length + 32);
        RequestBodies.WritePathAndWatch(writer, ServerPath(path), watcher is not null);
        var watch = watcher is null ? null : new WatchRegistration(WatchKind.Child, path, watcher);
        return _session.SubmitAsync(new PendingRequest<ChildrenResult>(OpCode.GetChildren2, path, ReadChildren, watch), writer, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="ops"/> atomically. If one fails, none is applied and the typed exception of the
    /// first failure is thrown with <see cref="ZooKeeperException.MultiResults"/> set.
    /// </summary>
    public async Task<IReadOnlyList<OpResult>> MultiAsync(IReadOnlyList<Op> ops, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ValidateMulti(ops);
        using var writer = RequestFrame.Start(OpCode.Multi, capacity: 256 * (ops.Count + 1));
        foreach (var op in ops)
        {
            writer.WriteInt((int)op.Code);
            writer.WriteBool(false);
            writer.WriteInt(-1);
            op.WriteBody(writer, op.ServerPath(_connectString), DefaultAclFor);
        }

        writer.WriteInt(-1);
        writer.WriteBool(true);
        writer.WriteInt(-1);
        var chroot = _connectString;
        var results = await _session.SubmitAsync(
            new PendingRequest<List<OpResult>>(OpCode.Multi, ops.Count > 0 ? ops[0].Path : null, (ref JuteReader r) => ReadMulti(ref r, chroot)),
            writer,
            cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] is ErrorResult { Code: not ErrorCode.Ok and not ErrorCode.RuntimeInconsistency } error)
            {
                var exception = ZooKeeperErrors.Create(error.Code, i < ops.Count ? ops[i].Path : null);
                exception.MultiResults = results;
                throw exception;
            }
        }

        return results;
    }

    /// <summary>Makes the server this client is connected to catch up with the leader for <paramref name="path"/>.</summary>
    public Task SyncAsync(string path, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.Sync, capacity: path.Length + 32);
        writer.WriteString(ServerPath(path));
        return _session.SubmitAsync(new PendingRequest<bool>(OpCode.Sync, path, static (ref JuteReader _) => true), writer, cancellationToken);
    }

    /// <summary>Adds an identity (e.g. scheme "digest", auth "user:password") to the session; it is re-sent after every reconnect.</summary>
    public Task AddAuthAsync(string scheme, byte[] auth, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(auth);
        return _session.AddAuthAsync(scheme, auth, cancellationToken);
    }

    public Task<IReadOnlyList<Acl>> GetAclAsync(string path, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.GetAcl, capacity: path.Length + 32);
        writer.WriteString(ServerPath(path));
        return _session.SubmitAsync(new PendingRequest<IReadOnlyList<Acl>>(OpCode.GetAcl, path, static (ref JuteReader r) => ReadAcl(ref r)), writer, cancellationToken);
    }

    /// <summary>The node's ACL with its stat (for the ACL version a later <see cref="SetAclAsync"/> compares).</summary>
    public Task<AclResult> GetAclWithStatAsync(string path, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        using var writer = RequestFrame.Start(OpCode.GetAcl, capacity: path.Length + 32);
        writer.WriteString(ServerPath(path));
        return _session.SubmitAsync(
            new PendingRequest<AclResult>(OpCode.GetAcl, path, static (ref JuteReader r) => new AclResult(ReadAcl(ref r), Stat.Read(ref r))),
            writer,
            cancellationToken);
    }

    /// <summary>
    /// Replaces the node's ACL (needs the ADMIN permission) if its ACL version is <paramref name="aclVersion"/>
    /// (-1: any), and returns the new stat. A stale version fails with <see cref="BadVersionException"/>.
    /// </summary>
    public Task<Stat> SetAclAsync(string path, IReadOnlyList<Acl> acl, int aclVersion = -1, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        ArgumentNullException.ThrowIfNull(acl);
        if (acl.Count == 0 || acl.Any(entry => entry is null))
        {
            throw new InvalidAclException(path, "An ACL needs at least one entry and no null entries.");
        }

        using var writer = RequestFrame.Start(OpCode.SetAcl, capacity: path.Length + 64 + (acl.Count * 64));
        writer.WriteString(ServerPath(path));
        writer.WriteInt(acl.Count);
        foreach (var entry in acl)
        {
            entry.Write(writer);
        }

        writer.WriteInt(aclVersion);
        return _session.SubmitAsync(new PendingRequest<Stat>(OpCode.SetAcl, path, Stat.Read), writer, cancellationToken);
    }

    /// <summary>Closes the session (its ephemeral nodes go at once) and the connection.</summary>
    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private IReadOnlyList<Acl> DefaultAclFor(string path) => Options.DefaultAcl?.Invoke(path) ?? Acl.OpenUnsafe;

    private async Task CreateIfMissingAsync(string path, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(path, data, CreateMode.Persistent, null, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeExistsException)
        {
        }
    }

    /// <summary>
    /// Refuses a multi with an invalid op before sending it, with a result per op as the server would give:
    /// BadArguments for each invalid op, RuntimeInconsistency for the others (they were not tried).
    /// </summary>
    private static void ValidateMulti(IReadOnlyList<Op> ops)
    {
        var results = new List<OpResult>(ops.Count);
        ZooKeeperException? first = null;
        for (var i = 0; i < ops.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(ops[i], $"{nameof(ops)}[{i}]");
            try
            {
                ops[i].Validate();
                results.Add(new ErrorResult(ErrorCode.RuntimeInconsistency));
            }
            catch (BadArgumentsException ex)
            {
                first ??= ex;
                results.Add(new ErrorResult(ErrorCode.BadArguments));
            }
        }

        if (first is not null)
        {
            first.MultiResults = results;
            throw first;
        }
    }

    private void RaiseConnectionStateChanged(ConnectionStateChange change)
    {
        if (ConnectionStateChanged is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<ConnectionStateChange>)handler)(change);
            }
            catch (Exception ex)
            {
                LogStateHandlerFailed(_logger, change.State, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ZooKeeper connection-state handler threw on {State}; the other handlers were still told")]
    private static partial void LogStateHandlerFailed(ILogger logger, ConnectionState state, Exception exception);

    private string ServerPath(string clientPath) => _connectString.ToServerPath(clientPath);

    private static DataResult ReadData(ref JuteReader reader)
    {
        var data = reader.ReadBuffer() ?? [];
        return new DataResult(data, Stat.Read(ref reader));
    }

    private static ChildrenResult ReadChildren(ref JuteReader reader)
    {
        var children = reader.ReadStringVector();
        return new ChildrenResult(children, Stat.Read(ref reader));
    }

    private static List<Acl> ReadAcl(ref JuteReader reader)
    {
        var count = reader.ReadInt();
        var acl = new List<Acl>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            acl.Add(Acl.Read(ref reader));
        }

        return acl;
    }

    private static List<OpResult> ReadMulti(ref JuteReader reader, ConnectString chroot)
    {
        var results = new List<OpResult>();
        while (true)
        {
            var type = (OpCode)reader.ReadInt();
            var done = reader.ReadBool();
            var err = reader.ReadInt();
            if (done)
            {
                return results;
            }

            results.Add(type switch
            {
                OpCode.Create => new CreateResult(chroot.ToClientPath(reader.ReadString() ?? string.Empty)),
                OpCode.Create2 or OpCode.CreateContainer => ReadCreate2(ref reader, chroot),
                OpCode.Delete => new DeleteResult(),
                OpCode.SetData => new SetDataResult(Stat.Read(ref reader)),
                OpCode.Check => new CheckResult(),
                OpCode.Error => new ErrorResult((ErrorCode)reader.ReadInt()),
                _ => throw new MarshallingErrorException($"Unexpected op type {(int)type} (err {err}) in a multi reply."),
            });
        }
    }

    private static CreateResult ReadCreate2(ref JuteReader reader, ConnectString chroot)
    {
        var path = chroot.ToClientPath(reader.ReadString() ?? string.Empty);
        _ = Stat.Read(ref reader);
        return new CreateResult(path);
    }
}
