using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>
/// The snapshot repositories registered on this node (<c>PUT _snapshot/{repo}</c>), kept in a file of the
/// node's data path so they survive a restart. Only <c>fs</c> repositories under <c>path.repo</c> are accepted.
/// </summary>
internal sealed class SnapshotRepositories
{
    private readonly Lock _lock = new();
    private readonly string _file;
    private readonly ImmutableArray<string> _allowedRoots;
    private ImmutableSortedDictionary<string, FsRepository> _repositories;

    public SnapshotRepositories(NodeSettings settings)
    {
        _file = Path.Combine(settings.DataPath, "snapshot-repositories.json");
        _allowedRoots = settings.All.TryGetValue("path.repo", out var roots)
            ? [.. roots.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => Path.GetFullPath(r))]
            : [];
        _repositories = Load(_file);
    }

    public ImmutableSortedDictionary<string, FsRepository> All => _repositories;

    public FsRepository Require(string name) => _repositories.TryGetValue(name, out var repository)
        ? repository
        : throw new ElasticsearchException("repository_missing_exception", $"[{name}] missing", 404);

    /// <summary>Validates and registers (or replaces) a repository; bad input changes nothing.</summary>
    public FsRepository Put(string name, JsonObject body)
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
        var repository = new FsRepository(name, resolved, settings);
        Directory.CreateDirectory(resolved);
        lock (_lock)
        {
            var next = _repositories.SetItem(name, repository);
            Save(next);
            _repositories = next;
        }

        return repository;
    }

    public void Delete(string name)
    {
        lock (_lock)
        {
            _ = Require(name);
            var next = _repositories.Remove(name);
            Save(next);
            _repositories = next;
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
