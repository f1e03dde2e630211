using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>
/// The snapshot repositories (<c>PUT _snapshot/{repo}</c>). Only <c>fs</c> repositories under <c>path.repo</c>
/// are accepted. A lone node keeps them in a file of its data path; in a cluster they are part of the cluster
/// state (registered through the master), so every node, which binds the same directory at <c>path.repo</c>,
/// sees the same repositories and resolves their locations against its own <c>path.repo</c>.
/// </summary>
internal sealed class SnapshotRepositories
{
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(30);
    private readonly Lock _lock = new();
    private readonly string _file;
    private readonly ImmutableArray<string> _allowedRoots;
    private readonly ClusterNode? _cluster;
    private ImmutableSortedDictionary<string, FsRepository> _repositories;

    public SnapshotRepositories(NodeSettings settings, ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _cluster = node.Options.Coordination.BootstrapAlone ? null : node;
        _file = Path.Combine(settings.DataPath, "snapshot-repositories.json");
        _allowedRoots = settings.All.TryGetValue("path.repo", out var roots)
            ? [.. roots.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => Path.GetFullPath(r))]
            : [];
        _repositories = Load(_file);
    }

    public ImmutableSortedDictionary<string, FsRepository> All => _cluster is null ? _repositories : FromClusterState(_cluster);

    public FsRepository Require(string name) => All.TryGetValue(name, out var repository)
        ? repository
        : throw new ElasticsearchException("repository_missing_exception", $"[{name}] missing", 404);

    /// <summary>Validates and registers (or replaces) a repository; bad input changes nothing.</summary>
    public async Task<FsRepository> PutAsync(string name, JsonObject body, CancellationToken cancellationToken)
    {
        var repository = Validate(name, body);
        Directory.CreateDirectory(repository.Location);
        if (_cluster is not null)
        {
            await RunOnMasterAsync(new MasterOperation(MasterOperation.PutRepository, name, Type: "fs", Persistent: repository.Settings), cancellationToken);
            return repository;
        }

        lock (_lock)
        {
            var next = _repositories.SetItem(name, repository);
            Save(next);
            _repositories = next;
        }

        return repository;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            _ = Require(name);
            await RunOnMasterAsync(new MasterOperation(MasterOperation.DeleteRepository, name), cancellationToken);
            return;
        }

        lock (_lock)
        {
            _ = Require(name);
            var next = _repositories.Remove(name);
            Save(next);
            _repositories = next;
        }
    }

    private FsRepository Validate(string name, JsonObject body)
    {
        var type = body["type"]?.GetValue<string>();
        if (type is null)
        {
            throw ElasticsearchException.ActionRequestValidation("type is missing");
        }

        if (type != "fs")
        {
            throw new ElasticsearchException("repository_exception", $"[{name}] repository type [{type}] does not exist", 500);
        }

        var location = body["settings"]?["location"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ElasticsearchException("repository_exception", $"[{name}] missing location", 500);
        }

        var resolved = Resolve(location);
        if (resolved is null)
        {
            throw new ElasticsearchException("repository_exception",
                $"[{name}] location [{location}] doesn't match any of the locations specified by path.repo"
                + (_allowedRoots.IsEmpty ? " because this setting is empty" : string.Empty), 500);
        }

        var settings = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            (body["settings"] as JsonObject ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString() ?? string.Empty)));
        return new FsRepository(name, resolved, settings);
    }

    /// <summary>The repositories of this node's applied cluster state; a location this node's <c>path.repo</c> does not allow is left out.</summary>
    private ImmutableSortedDictionary<string, FsRepository> FromClusterState(ClusterNode node)
    {
        var result = ImmutableSortedDictionary.Create<string, FsRepository>(StringComparer.Ordinal);
        foreach (var (name, registered) in node.State.Metadata.Repositories)
        {
            if (registered.Settings.TryGetValue("location", out var location) && Resolve(location) is { } resolved)
            {
                result = result.SetItem(name, new FsRepository(name, resolved, registered.Settings));
            }
        }

        return result;
    }

    /// <summary>Commits a registration change through the master and waits until this node applied it.</summary>
    private async Task RunOnMasterAsync(MasterOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            var committed = await _cluster!.RunOnMasterAsync(operation, cancellationToken);
            await _cluster.WaitForAppliedAsync(committed, ApplyTimeout, cancellationToken);
        }
        catch (ClusterException ex)
        {
            throw new ElasticsearchException(ex.Type, ex.Message, ex.Status);
        }
    }

    /// <summary>The absolute location when it lies under one of <c>path.repo</c> (relative ones resolve against the first), else null.</summary>
    private string? Resolve(string location)
    {
        if (_allowedRoots.IsEmpty)
        {
            return null;
        }

        var full = Path.GetFullPath(Path.IsPathRooted(location) ? location : Path.Combine(_allowedRoots[0], location));
        foreach (var root in _allowedRoots)
        {
            var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
            if (full == root || full.StartsWith(prefix, StringComparison.Ordinal))
            {
                return full;
            }
        }

        return null;
    }

    private void Save(ImmutableSortedDictionary<string, FsRepository> repositories)
    {
        var json = new JsonObject();
        foreach (var (name, repository) in repositories)
        {
            json[name] = repository.ToJson();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        var temp = _file + ".tmp";
        File.WriteAllText(temp, json.ToJsonString());
        File.Move(temp, _file, overwrite: true);
    }

    private static ImmutableSortedDictionary<string, FsRepository> Load(string file)
    {
        var result = ImmutableSortedDictionary.Create<string, FsRepository>(StringComparer.Ordinal);
        if (!File.Exists(file) || JsonNode.Parse(File.ReadAllText(file)) is not JsonObject json)
        {
            return result;
        }

        foreach (var (name, value) in json)
        {
            if (value is JsonObject repository)
            {
                result = result.SetItem(name, FsRepository.FromJson(name, repository));
            }
        }

        return result;
    }
}
