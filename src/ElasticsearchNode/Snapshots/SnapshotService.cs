using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Lucene.Net.Index;
using Lucene.Net.Util;
using FSDirectory = Lucene.Net.Store.FSDirectory;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>
/// Snapshots of indices into an <c>fs</c> repository and restores from it. A snapshot copies the files of
/// each shard's last Lucene commit (pinned by <see cref="IndexShard.AcquireCommitSnapshot"/>) into
/// <c>{location}/indices/{snapshot uuid}/{index uuid}/{shard}/</c> and writes <c>snap-{name}.json</c> last,
/// so a snapshot without its metadata file never existed. A restore creates the index through the normal
/// create path and writes every document read from the snapshot's Lucene files through the normal write
/// path, keeping ids, routing and versions (as external versions). In a cluster every node binds the same
/// directory at <c>path.repo</c>: each shard is copied by the node holding its active primary (another active
/// copy if that fails), asked over the transport, and any node reads the repository for list, status and restore.
/// </summary>
internal sealed class SnapshotService(SnapshotRepositories repositories, IIndexMetadataService metadata, IndicesService indices, IDocumentCoordinator documents, ClusterNode node) : IDisposable
{
    public const string ShardAction = "internal:snapshot/shard";
    private const int RestoreBatch = 500;
    private static readonly TimeSpan ShardCopyTimeout = TimeSpan.FromMinutes(10);

    private readonly SnapshotGates _gates = new();

    public async Task<SnapshotInfo> CreateAsync(string repositoryName, string name, string? indexExpression, CancellationToken cancellationToken)
    {
        var repository = repositories.Require(repositoryName);
        ValidateName(repositoryName, name);
        using (await _gates.EnterAsync(repositoryName, name, cancellationToken))
        {
            if (File.Exists(MetadataFile(repository, name)))
            {
                throw new ElasticsearchException("invalid_snapshot_name_exception",
                    $"[{repositoryName}:{name}] Invalid snapshot name [{name}], snapshot with the same name already exists", 400);
            }

            var targets = IndexResolver.Resolve(metadata.Current, indexExpression, ignoreUnavailable: false);
            var uuid = NewUuid();
            var start = DateTimeOffset.UtcNow;
            var failures = ImmutableArray.CreateBuilder<SnapshotShardFailure>();
            foreach (var index in targets)
            {
                for (var shard = 0; shard < index.NumberOfShards; shard++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var failure = await CopyShardAsync(repository, uuid, index, shard, cancellationToken);
                    if (failure is not null)
                    {
                        failures.Add(new SnapshotShardFailure(index.Name, shard, failure));
                    }
                }
            }

            var total = targets.Sum(i => i.NumberOfShards);
            var state = failures.Count == 0 ? "SUCCESS" : failures.Count == total ? "FAILED" : "PARTIAL";
            var info = new SnapshotInfo(name, uuid, state, start, DateTimeOffset.UtcNow, total, failures.ToImmutable(), [.. targets]);
            WriteAtomically(MetadataFile(repository, name), info.ToJson().ToJsonString());
            return info;
        }
    }

    public IReadOnlyList<SnapshotInfo> List(string repositoryName, string expression)
    {
        var repository = repositories.Require(repositoryName);
        var all = Directory.EnumerateFiles(repository.Location, "snap-*.json")
            .Select(f => SnapshotInfo.FromJson(JsonNode.Parse(File.ReadAllText(f))!.AsObject()))
            .OrderBy(s => s.Start)
            .ToList();
        if (expression is "_all" or "*")
        {
            return all;
        }

        var result = new List<SnapshotInfo>();
        foreach (var part in expression.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var matches = all.Where(s => IndexResolver.Matches(part, s.Name)).ToList();
            if (matches.Count == 0 && !part.Contains('*', StringComparison.Ordinal))
            {
                throw Missing(repositoryName, part);
            }

            result.AddRange(matches.Where(m => !result.Contains(m)));
        }

        return result;
    }

    public SnapshotInfo Get(string repositoryName, string name) => List(repositoryName, name) switch
    {
        [var single] => single,
        _ => throw Missing(repositoryName, name),
    };

    /// <summary>Bytes and file counts of a finished snapshot, per index and in total.</summary>
    public (long Files, long Bytes) Stats(string repositoryName, SnapshotInfo snapshot, IndexMetadata? index = null)
    {
        var repository = repositories.Require(repositoryName);
        var root = index is null ? SnapshotDirectory(repository, snapshot.Uuid) : Path.Combine(SnapshotDirectory(repository, snapshot.Uuid), index.Uuid);
        if (!Directory.Exists(root))
        {
            return (0, 0);
        }

        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        return (files.Count, files.Sum(f => f.Length));
    }

    public async Task DeleteAsync(string repositoryName, string name, CancellationToken cancellationToken)
    {
        var repository = repositories.Require(repositoryName);
        using (await _gates.EnterAsync(repositoryName, name, cancellationToken))
        {
            var snapshot = Get(repositoryName, name);
            // The metadata goes first: a crash in between leaves unreferenced files, never a snapshot with missing files.
            File.Delete(MetadataFile(repository, snapshot.Name));
            var directory = SnapshotDirectory(repository, snapshot.Uuid);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    public async Task<RestoreResult> RestoreAsync(string repositoryName, string name, RestoreRequest request, CancellationToken cancellationToken)
    {
        var repository = repositories.Require(repositoryName);
        using (await _gates.EnterAsync(repositoryName, name, cancellationToken))
        {
            var snapshot = Get(repositoryName, name);
            if (snapshot.State == "FAILED")
            {
                throw RestoreFailure(repositoryName, snapshot, "unsupported snapshot state [FAILED]");
            }

            // An index deleted through another node just before must not count as existing here: this node
            // may not have applied that state yet (seen: DELETE /books on n1, then restore on n2 refused).
            await metadata.SyncAsync(cancellationToken);
            var selected = SelectIndices(snapshot, request.Indices);
            var plan = new List<(IndexMetadata Source, string Target)>();
            foreach (var index in selected)
            {
                var target = request.RenamePattern is null ? index.Name : Regex.Replace(index.Name, request.RenamePattern, request.RenameReplacement ?? string.Empty);
                if (plan.Any(p => p.Target == target))
                {
                    throw RestoreFailure(repositoryName, snapshot, $"indices [{plan.First(p => p.Target == target).Source.Name}] and [{index.Name}] are renamed into the same index [{target}]");
                }

                if (metadata.Current.Indices.ContainsKey(target))
                {
                    throw RestoreFailure(repositoryName, snapshot,
                        $"cannot restore index [{target}] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name");
                }

                if (snapshot.Failures.Any(f => f.Index == index.Name))
                {
                    throw RestoreFailure(repositoryName, snapshot, $"index [{index.Name}] wasn't fully snapshotted - cannot restore");
                }

                plan.Add((index, target));
            }

            var shards = 0;
            foreach (var (source, target) in plan)
            {
                await metadata.CreateIndexAsync(new CreateIndexRequest(target, source.NumberOfShards, source.NumberOfReplicas, source.Mappings, [], source.Settings), cancellationToken);
                for (var shard = 0; shard < source.NumberOfShards; shard++)
                {
                    await RestoreShardAsync(Path.Combine(SnapshotDirectory(repository, snapshot.Uuid), source.Uuid, Shard(shard)), target, cancellationToken);
                    shards++;
                }
            }

            return new RestoreResult(snapshot.Name, [.. plan.Select(p => p.Target)], shards);
        }
    }

    /// <summary>Answers other nodes' requests to copy a shard this node holds into the shared repository.</summary>
    public void Register() => node.Transport.Register<ShardSnapshotRequest, ShardSnapshotResponse>(ShardAction, (r, _) =>
        Task.FromResult(new ShardSnapshotResponse(CopyLocalShard(repositories.Require(r.Repository), r.SnapshotUuid, r.IndexUuid, r.Shard))));

    /// <summary>Copies one shard's commit: here when this node is alone, else from a node with an active copy, primary first.</summary>
    private async Task<string?> CopyShardAsync(FsRepository repository, string uuid, IndexMetadata index, int number, CancellationToken cancellationToken)
    {
        if (node.Options.Coordination.BootstrapAlone)
        {
            return CopyLocalShard(repository, uuid, index.Uuid, number);
        }

        var copies = node.State.Routing.CopiesOf(new Cluster.State.ShardId(index.Name, number))
            .Where(c => c.Active && !c.IsRelocationTarget && c.NodeId is not null)
            .OrderByDescending(c => c.Primary)
            .ToList();
        string? failure = "no active copy of this shard in the cluster";
        foreach (var copy in copies)
        {
            if (copy.NodeId == node.LocalNode.Id)
            {
                failure = CopyLocalShard(repository, uuid, index.Uuid, number);
            }
            else if (node.State.Nodes.TryGetValue(copy.NodeId!, out var holder))
            {
                try
                {
                    var response = await node.Transport.SendAsync<ShardSnapshotRequest, ShardSnapshotResponse>(holder.TransportAddress, ShardAction,
                        new ShardSnapshotRequest(repository.Name, uuid, index.Uuid, number), ShardCopyTimeout, cancellationToken);
                    failure = response.Failure;
                }
                catch (TransportException ex)
                {
                    failure = $"[{holder.Name}] {ex.Message}";
                }
            }

            if (failure is null)
            {
                return null;
            }
        }

        return failure;
    }

    /// <summary>Copies one shard's commit from the local copy; the reason when this node has none.</summary>
    private string? CopyLocalShard(FsRepository repository, string uuid, string indexUuid, int number)
    {
        var slot = indices.Get(indexUuid)?.Shards.FirstOrDefault(s => s.Number == number);
        if (slot?.Shard is not { } shard)
        {
            return slot?.Failure ?? "no copy of this shard on the node taking the snapshot";
        }

        using var commit = shard.AcquireCommitSnapshot();
        var target = Path.Combine(SnapshotDirectory(repository, uuid), indexUuid, Shard(number));
        Directory.CreateDirectory(target);
        foreach (var file in commit.Files)
        {
            File.Copy(Path.Combine(commit.Directory, file), Path.Combine(target, file), overwrite: true);
        }

        return null;
    }

    private async Task RestoreShardAsync(string directory, string target, CancellationToken cancellationToken)
    {
        using var store = FSDirectory.Open(directory);
        using var reader = DirectoryReader.Open(store);
        var live = MultiFields.GetLiveDocs(reader);
        var batch = new List<WriteRequest>(RestoreBatch);
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (live is not null && !live.Get(doc))
            {
                continue;
            }

            var stored = IndexShard.ReadStored(reader.Document(doc));
            if (string.IsNullOrEmpty(stored.Id))
            {
                continue;
            }

            batch.Add(new WriteRequest(OpType.Index, target, stored.Id, stored.Routing, stored.Source.ToArray(), new WriteConstraints(ExternalVersion: stored.Version)));
            if (batch.Count == RestoreBatch)
            {
                await WriteAsync(batch, RefreshPolicy.None, cancellationToken);
                batch.Clear();
            }
        }

        await WriteAsync(batch, RefreshPolicy.Immediate, cancellationToken);
    }

    private async Task WriteAsync(List<WriteRequest> batch, RefreshPolicy refresh, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var results = await documents.WriteAsync(batch, refresh, cancellationToken);
        if (results.FirstOrDefault(r => r.Error is not null) is { Error: { } error } failed)
        {
            throw new ElasticsearchException("snapshot_restore_exception", $"restoring document [{failed.Id}] into [{failed.Index}] failed: {error.Message}", 500, failed.Index, error);
        }
    }

    private static IReadOnlyList<IndexMetadata> SelectIndices(SnapshotInfo snapshot, string? expression)
    {
        if (string.IsNullOrEmpty(expression) || expression is "_all" or "*")
        {
            return snapshot.Indices;
        }

        var result = new List<IndexMetadata>();
        foreach (var part in expression.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var matches = snapshot.Indices.Where(i => IndexResolver.Matches(part, i.Name)).ToList();
            if (matches.Count == 0 && !part.Contains('*', StringComparison.Ordinal))
            {
                throw new ElasticsearchException("snapshot_restore_exception", $"[{snapshot.Name}] index [{part}] is not in the snapshot", 500);
            }

            result.AddRange(matches.Where(m => !result.Contains(m)));
        }

        return result;
    }

    private static void ValidateName(string repository, string name)
    {
        if (name.Length == 0 || name.StartsWith('_') || name.Any(char.IsUpper) || name.IndexOfAny([' ', ',', '"', '*', '\\', '<', '|', '>', '/', '?', '#']) >= 0)
        {
            throw new ElasticsearchException("invalid_snapshot_name_exception",
                $"[{repository}:{name}] Invalid snapshot name [{name}], must be lowercase, must not start with '_' and must not contain whitespace or any of \\,/,*,?,\",<,>,|,#", 400);
        }
    }

    private static ElasticsearchException Missing(string repository, string name) =>
        new("snapshot_missing_exception", $"[{repository}:{name}] is missing", 404);

    private static ElasticsearchException RestoreFailure(string repository, SnapshotInfo snapshot, string why) =>
        new("snapshot_restore_exception", $"[{repository}:{snapshot.Name}/{snapshot.Uuid}] {why}", 500);

    private static string MetadataFile(FsRepository repository, string name) => Path.Combine(repository.Location, $"snap-{name}.json");

    private static string SnapshotDirectory(FsRepository repository, string uuid) => Path.Combine(repository.Location, "indices", uuid);

    private static string Shard(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string NewUuid() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _gates.Dispose();

    private static void WriteAtomically(string file, string content)
    {
        var temp = file + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, file, overwrite: true);
    }
}
