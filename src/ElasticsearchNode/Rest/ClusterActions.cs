using System.Diagnostics;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary><c>_cluster/health</c> (with <c>wait_for_status</c>), <c>_cluster/state</c>, <c>_nodes</c> and <c>_stats</c>.</summary>
internal sealed class ClusterActions(NodeSettings settings, NodeIdentity identity, IIndexMetadataService metadata, IndicesService indices, ShardStatsCollector collector, Cluster.ClusterNode node, Hosting.StartupRecovery recovery, TimeProvider time)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public void Register(RestRouter router)
    {
        router.Add("GET", "/_cluster/health", HealthAsync);
        router.Add("GET", "/_cluster/health/{index}", HealthAsync);
        router.Add("GET", "/_cluster/state", StateAsync);
        router.Add("GET", "/_cluster/state/{metrics}", StateAsync);
        router.Add("GET", "/_cluster/state/{metrics}/{index}", StateAsync);
        router.Add("GET", "/_nodes", NodesAsync);
        router.Add("GET", "/_nodes/{node}", NodesAsync);
        router.Add("GET", "/_nodes/{node}/{metrics}", NodesAsync);
        router.Add("GET", "/_nodes/stats", NodeStatsAsync);
        router.Add("GET", "/_nodes/{node}/stats", NodeStatsAsync);
        router.Add("GET", "/_stats", StatsAsync);
        router.Add("GET", "/{index}/_stats", StatsAsync);
    }

    public static string Worst(IEnumerable<string> statuses) =>
        statuses.Contains("red") ? "red" : statuses.Contains("yellow") ? "yellow" : "green";

    private async Task<RestResponse> HealthAsync(RestRequest request)
    {
        var expression = request.PathParameter("index");
        var timeout = request.Parameter("timeout") is { } t ? TimeValue.Parse(t) : TimeSpan.FromSeconds(30);
        var wanted = request.Parameter("wait_for_status");
        if (wanted is not null and not ("green" or "yellow" or "red"))
        {
            throw ElasticsearchException.IllegalArgument($"unknown cluster health status [{wanted}]");
        }

        var started = Stopwatch.GetTimestamp();
        var (health, timedOut) = Health(expression);
        // Waiting is on observed state: health is recomputed from the shards until it is good enough or the timeout passes.
        while (wanted is not null && Rank(health["status"]!.ToString()) > Rank(wanted))
        {
            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                timedOut = true;
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, request.Aborted);
            (health, timedOut) = Health(expression);
        }

        health["timed_out"] = timedOut;
        return new RestResponse(timedOut ? 408 : 200, health);
    }

    private (JsonObject Health, bool TimedOut) Health(string? expression)
    {
        // A lone node that has not yet read its metadata and opened its shards knows no index: red, as Elasticsearch's
        // health is while its state is not recovered (wait_for_status waits for the recovery).
        var recovered = recovery.IsRecovered;
        var targets = recovered ? IndexResolver.Resolve(metadata.Current, expression) : [];
        var statuses = new List<string>();
        int activePrimaries = 0, unassigned = 0, total = 0;
        foreach (var index in targets)
        {
            var service = indices.Get(index.Uuid);
            statuses.Add(service?.Health ?? "red");
            var started = service?.StartedShards.Count() ?? 0;
            activePrimaries += started;
            total += index.NumberOfShards * (1 + index.NumberOfReplicas);
            unassigned += (index.NumberOfShards - started) + (index.NumberOfShards * index.NumberOfReplicas);
        }

        var active = total - unassigned;
        return (new JsonObject
        {
            ["cluster_name"] = settings.ClusterName,
            ["status"] = recovered ? Worst(statuses) : "red",
            ["timed_out"] = false,
            ["number_of_nodes"] = 1,
            ["number_of_data_nodes"] = settings.Roles.Contains("data") ? 1 : 0,
            ["active_primary_shards"] = activePrimaries,
            ["active_shards"] = active,
            ["relocating_shards"] = 0,
            ["initializing_shards"] = 0,
            ["unassigned_shards"] = unassigned,
            ["unassigned_primary_shards"] = targets.Sum(i => i.NumberOfShards) - activePrimaries,
            ["delayed_unassigned_shards"] = 0,
            ["number_of_pending_tasks"] = 0,
            ["number_of_in_flight_fetch"] = 0,
            ["task_max_waiting_in_queue_millis"] = 0,
            ["active_shards_percent_as_number"] = total == 0 ? 100.0 : 100.0 * active / total,
        }, false);
    }

    private static int Rank(string status) => status switch
    {
        "green" => 0,
        "yellow" => 1,
        _ => 2,
    };

    private Task<RestResponse> StateAsync(RestRequest request)
    {
        var current = metadata.Current;
        var targets = IndexResolver.Resolve(current, request.PathParameter("index"));
        var indicesJson = new JsonObject();
        var routingJson = new JsonObject();
        foreach (var index in targets)
        {
            indicesJson[index.Name] = new JsonObject
            {
                ["version"] = index.Version,
                ["state"] = "open",
                ["settings"] = IndexActions.SettingsJson(index),
                ["mappings"] = new JsonObject { ["_doc"] = index.Mappings.ToJson() },
                ["aliases"] = new JsonArray([.. index.Aliases.Keys.Select(a => (JsonNode)a)]),
                ["primary_terms"] = new JsonObject([.. Enumerable.Range(0, index.NumberOfShards).Select(s => KeyValuePair.Create(s.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)index.PrimaryTerm(s)))]),
            };
            var shards = new JsonObject();
            var service = indices.Get(index.Uuid);
            for (var shard = 0; shard < index.NumberOfShards; shard++)
            {
                var copies = new JsonArray { ShardRouting(index, shard, primary: true, started: service?.Shards[shard].IsStarted == true) };
                for (var replica = 0; replica < index.NumberOfReplicas; replica++)
                {
                    copies.Add(ShardRouting(index, shard, primary: false, started: false));
                }

                shards[shard.ToString(System.Globalization.CultureInfo.InvariantCulture)] = copies;
            }

            routingJson[index.Name] = new JsonObject { ["shards"] = shards };
        }

        return Task.FromResult(RestResponse.Ok(new JsonObject
        {
            ["cluster_name"] = settings.ClusterName,
            ["cluster_uuid"] = identity.ClusterUuid,
            ["version"] = current.Version,
            ["state_uuid"] = identity.ClusterUuid + "-" + current.Version,
            ["master_node"] = identity.NodeId,
            ["nodes"] = new JsonObject { [identity.NodeId] = NodeJson() },
            ["metadata"] = new JsonObject
            {
                ["cluster_uuid"] = identity.ClusterUuid,
                ["cluster_uuid_committed"] = true,
                ["indices"] = indicesJson,
            },
            ["routing_table"] = new JsonObject { ["indices"] = routingJson },
        }));
    }

    private JsonObject ShardRouting(IndexMetadata index, int shard, bool primary, bool started) => new()
    {
        ["state"] = started ? "STARTED" : "UNASSIGNED",
        ["primary"] = primary,
        ["node"] = started ? identity.NodeId : null,
        ["relocating_node"] = null,
        ["shard"] = shard,
        ["index"] = index.Name,
    };

    private JsonObject NodeJson() => new()
    {
        ["name"] = settings.NodeName,
        ["ephemeral_id"] = identity.NodeId,
        ["transport_address"] = $"127.0.0.1:{settings.All.GetValueOrDefault("transport.port") ?? "9300"}",
        ["attributes"] = settings.Zone is null ? new JsonObject() : new JsonObject { ["zone"] = settings.Zone },
        ["roles"] = new JsonArray([.. settings.Roles.Select(r => (JsonNode)r)]),
    };

    private Task<RestResponse> NodesAsync(RestRequest request)
    {
        var node = NodeJson();
        node["version"] = settings.Version;
        node["host"] = settings.All.GetValueOrDefault("network.publish_host") ?? "127.0.0.1";
        node["ip"] = node["host"]!.DeepClone();
        node["build_flavor"] = "default";
        node["build_type"] = "docker";
        node["http"] = new JsonObject { ["publish_address"] = $"{node["host"]}:{settings.All.GetValueOrDefault("http.publish_port") ?? settings.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}" };
        node["start_time_in_millis"] = _startedAt.ToUnixTimeMilliseconds();
        node["jvm"] = new JsonObject { ["mem"] = new JsonObject { ["heap_max_in_bytes"] = HeapMax() } };
        return Task.FromResult(RestResponse.Ok(new JsonObject
        {
            ["_nodes"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 },
            ["cluster_name"] = settings.ClusterName,
            ["nodes"] = new JsonObject { [identity.NodeId] = node },
        }));
    }

    private Task<RestResponse> NodeStatsAsync(RestRequest request)
    {
        using var process = Process.GetCurrentProcess();
        var docs = indices.All.SelectMany(i => i.StartedShards).Select(s => s.Stats()).ToList();
        return Task.FromResult(RestResponse.Ok(new JsonObject
        {
            ["_nodes"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 },
            ["cluster_name"] = settings.ClusterName,
            ["nodes"] = new JsonObject
            {
                [identity.NodeId] = new JsonObject
                {
                    ["name"] = settings.NodeName,
                    ["roles"] = new JsonArray([.. settings.Roles.Select(r => (JsonNode)r)]),
                    ["indices"] = new JsonObject
                    {
                        ["docs"] = new JsonObject { ["count"] = docs.Sum(d => d.DocCount), ["deleted"] = docs.Sum(d => d.DeletedDocs) },
                        ["store"] = new JsonObject { ["size_in_bytes"] = docs.Sum(d => d.StoreSizeBytes) },
                    },
                    ["process"] = new JsonObject { ["mem"] = new JsonObject { ["total_virtual_in_bytes"] = process.VirtualMemorySize64 } },
                    ["os"] = new JsonObject { ["mem"] = new JsonObject { ["resident_in_bytes"] = process.WorkingSet64 } },
                    ["jvm"] = new JsonObject
                    {
                        ["mem"] = new JsonObject
                        {
                            ["heap_used_in_bytes"] = GC.GetTotalMemory(false),
                            ["heap_max_in_bytes"] = HeapMax(),
                        },
                    },
                },
            },
        }));
    }

    private static long HeapMax()
    {
        var info = GC.GetGCMemoryInfo();
        return info.TotalAvailableMemoryBytes;
    }

    /// <summary>Every active copy in the cluster (primaries apart); <c>_shards.total</c> counts every copy the indices should have.</summary>
    private async Task<RestResponse> StatsAsync(RestRequest request)
    {
        var targets = IndexResolver.Resolve(metadata.Current, request.PathParameter("index"));
        var copies = await collector.CollectAsync(request.Aborted);
        var indicesJson = new JsonObject();
        var all = new List<Indices.CopyStats>();
        foreach (var index in targets)
        {
            var stats = copies.Where(c => c.IndexUuid == index.Uuid).ToList();
            all.AddRange(stats);
            indicesJson[index.Name] = new JsonObject
            {
                ["uuid"] = index.Uuid,
                ["health"] = node.Options.Coordination.BootstrapAlone
                    ? indices.Get(index.Uuid)?.Health ?? "red"
                    : Cluster.Allocation.ClusterHealth.Of(node.State, [index.Name]).Status,
                ["primaries"] = StatsJson([.. stats.Where(c => c.Primary).Select(c => c.Stats)]),
                ["total"] = StatsJson([.. stats.Select(c => c.Stats)]),
            };
            if (request.Parameter("level") == "shards")
            {
                indicesJson[index.Name]!["shards"] = ShardsJson(stats);
            }
        }

        var total = node.Options.Coordination.BootstrapAlone ? all.Count : targets.Sum(i => i.NumberOfShards * (1 + i.NumberOfReplicas));
        return RestResponse.Ok(new JsonObject
        {
            ["_shards"] = new JsonObject { ["total"] = total, ["successful"] = all.Count, ["failed"] = 0 },
            ["_all"] = new JsonObject { ["primaries"] = StatsJson([.. all.Where(c => c.Primary).Select(c => c.Stats)]), ["total"] = StatsJson([.. all.Select(c => c.Stats)]) },
            ["indices"] = indicesJson,
        });
    }

    /// <summary><c>level=shards</c>: each copy's stats with its routing and sequence numbers, as Elasticsearch lists them.</summary>
    private static JsonObject ShardsJson(IEnumerable<Indices.CopyStats> copies)
    {
        var shards = new JsonObject();
        foreach (var group in copies.GroupBy(c => c.Shard).OrderBy(g => g.Key))
        {
            shards[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonArray([.. group.Select(c =>
            {
                var json = StatsJson([c.Stats]);
                json["routing"] = new JsonObject { ["state"] = "STARTED", ["primary"] = c.Primary, ["node"] = c.NodeId };
                json["seq_no"] = new JsonObject { ["max_seq_no"] = c.Stats.MaxSeqNo, ["local_checkpoint"] = c.Stats.LocalCheckpoint };
                return (JsonNode)json;
            })]);
        }

        return shards;
    }

    private static JsonObject StatsJson(IReadOnlyCollection<Engine.ShardStats> stats) => new()
    {
        ["docs"] = new JsonObject { ["count"] = stats.Sum(s => s.DocCount), ["deleted"] = stats.Sum(s => s.DeletedDocs) },
        ["store"] = new JsonObject { ["size_in_bytes"] = stats.Sum(s => s.StoreSizeBytes) },
        ["indexing"] = new JsonObject { ["index_total"] = stats.Sum(s => s.IndexTotal), ["delete_total"] = stats.Sum(s => s.DeleteTotal) },
        ["search"] = new JsonObject { ["query_total"] = stats.Sum(s => s.QueryTotal) },
        ["translog"] = new JsonObject { ["size_in_bytes"] = stats.Sum(s => s.TranslogSizeBytes) },
    };
}
