using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Cli.Api;
using Cloud.Cli.Output;
using Cloud.Cli.Plans;

namespace Cloud.Cli.Commands;

/// <summary><c>cloudctl cluster create|list|show|plan|activity|shutdown|delete</c>.</summary>
internal static class ClusterCommands
{
    private const string Clusters = "api/v1/clusters/elasticsearch";

    public static Command Build(CliRuntime runtime)
    {
        var cluster = new Command("cluster", "Elasticsearch clusters and their plans");
        cluster.Add(Create(runtime));
        cluster.Add(List(runtime));
        cluster.Add(Show(runtime));
        cluster.Add(Plan(runtime));
        cluster.Add(Activity(runtime));
        cluster.Add(Shutdown(runtime));
        cluster.Add(Delete(runtime));
        return cluster;
    }

    private sealed class PlanOptions
    {
        public Option<string?> File { get; } = new("--plan-file") { Description = "A PLAN as JSON (overrides the topology flags)" };

        public Option<string> Version { get; } = new("--version") { Description = "Elasticsearch version", DefaultValueFactory = _ => "8.15.0" };

        public Option<int> Memory { get; } = new("--memory") { Description = "Memory per node, MB", DefaultValueFactory = _ => 1024 };

        public Option<int> Zones { get; } = new("--zones") { Description = "Zone count", DefaultValueFactory = _ => 3 };

        public Option<int> NodesPerZone { get; } = new("--nodes-per-zone") { Description = "Nodes per zone", DefaultValueFactory = _ => 1 };

        public Option<string> Roles { get; } = new("--roles") { Description = "Node roles, comma-separated", DefaultValueFactory = _ => "master,data,ingest" };

        public Option<string?> Strategy { get; } = new("--strategy") { Description = "grow_and_shrink, rolling_grow_and_shrink, rolling or autodetect" };

        public Option<bool> ValidateOnly { get; } = new("--validate-only") { Description = "Check and place without changing anything" };

        public Option<bool> NoWait { get; } = new("--no-wait") { Description = "Return once accepted instead of following the plan" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { File, Version, Memory, Zones, NodesPerZone, Roles, Strategy, ValidateOnly, NoWait })
            {
                command.Add(option);
            }
        }

        public JsonObject Read(ParseResult parse) => parse.GetValue(File) is { } file
            ? PlanBuilder.FromFile(file)
            : PlanBuilder.FromFlags(
                parse.GetValue(Version)!, parse.GetValue(Memory), parse.GetValue(Zones), parse.GetValue(NodesPerZone),
                parse.GetValue(Roles)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), parse.GetValue(Strategy));
    }

    private static Command Create(CliRuntime runtime)
    {
        var command = new Command("create", "Create a cluster and follow its first plan");
        var name = new Option<string>("--name") { Description = "Cluster name", Required = true };
        var plan = new PlanOptions();
        command.Add(name);
        plan.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var body = new JsonObject { ["cluster_name"] = parse.GetValue(name), ["plan"] = plan.Read(parse) };
            var validateOnly = parse.GetValue(plan.ValidateOnly);
            var accepted = await context.Api.PostAsync(Clusters + (validateOnly ? "?validate_only=true" : string.Empty), body, ct);
            return await AcceptedAsync(context, accepted, Json.Text(accepted, "cluster_id"), validateOnly || parse.GetValue(plan.NoWait), ct);
        });
        return command;
    }

    private static Command Plan(CliRuntime runtime)
    {
        var command = new Command("plan", "Submit a new desired plan (whole topology) and follow it");
        var id = new Argument<string>("cluster_id");
        var plan = new PlanOptions();
        command.Add(id);
        plan.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var clusterId = parse.GetValue(id)!;
            var validateOnly = parse.GetValue(plan.ValidateOnly);
            var accepted = await context.Api.PostAsync(
                $"{Clusters}/{CommandContext.Escape(clusterId)}/plan" + (validateOnly ? "?validate_only=true" : string.Empty), plan.Read(parse), ct);
            return await AcceptedAsync(context, accepted, clusterId, validateOnly || parse.GetValue(plan.NoWait), ct);
        });
        return command;
    }

    private static async Task<int> AcceptedAsync(CommandContext context, JsonElement accepted, string? clusterId, bool noWait, CancellationToken ct)
    {
        var planId = Json.Text(accepted, "plan_id");
        if (noWait || clusterId is null)
        {
            if (context.Json)
            {
                context.WriteJson(accepted);
            }
            else
            {
                var verb = Json.Flag(accepted, "validate_only") ? "Valid" : "Accepted";
                context.Output.WriteLine($"{verb}: cluster {clusterId ?? "(new)"}, plan {planId ?? "-"}, strategy {Json.Text(accepted, "strategy")}");
                context.Output.Write(Table.Render(
                    ["INSTANCE", "ALLOCATOR", "ZONE", "MEMORY_MB"],
                    Json.Items(accepted, "instances").Select(i => new[] { Json.Text(i, "instance_name"), Json.Text(i, "allocator_id"), Json.Text(i, "zone"), Json.Text(i, "memory_mb") })));
            }

            return ExitCodes.Ok;
        }

        if (!context.Json)
        {
            context.Output.WriteLine($"Cluster {clusterId}: plan {planId} accepted; following it (Ctrl-C stops watching, not the plan)");
        }

        return await context.WatchPlanAsync(clusterId, planId, ct);
    }

    private static Command List(CliRuntime runtime)
    {
        var command = new Command("list", "List clusters");
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var list = await context.Api.GetAsync(Clusters, ct);
            if (context.Json)
            {
                context.WriteJson(list);
                return ExitCodes.Ok;
            }

            context.Output.Write(Table.Render(
                ["CLUSTER_ID", "NAME", "STATUS", "HEALTHY", "INSTANCES", "PENDING_PLAN"],
                Json.Items(list, "elasticsearch_clusters").Select(c => new[]
                {
                    Json.Text(c, "cluster_id"), Json.Text(c, "cluster_name"), Json.Text(c, "status"), Json.Text(c, "healthy"),
                    Json.Format(Json.Items(c, "topology", "instances").Count()),
                    Json.TryGet(c, ["plan_info", "pending"], out _) ? "yes" : "no",
                })));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliRuntime runtime)
    {
        var command = new Command("show", "Show one cluster: status, plan, instances, endpoint");
        var id = new Argument<string>("cluster_id");
        command.Add(id);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var cluster = await context.Api.GetAsync($"{Clusters}/{CommandContext.Escape(parse.GetValue(id)!)}", ct);
            if (context.Json)
            {
                context.WriteJson(cluster);
                return ExitCodes.Ok;
            }

            context.Output.WriteLine($"Cluster:   {Json.Text(cluster, "cluster_id")} ({Json.Text(cluster, "cluster_name")})");
            context.Output.WriteLine($"Status:    {Json.Text(cluster, "status")}, healthy: {Json.Text(cluster, "healthy")}");
            context.Output.WriteLine($"Endpoint:  {Json.Text(cluster, "endpoints", "http") ?? "-"}");
            context.Output.WriteLine($"Version:   {Json.Text(cluster, "plan_info", "current", "elasticsearch", "version") ?? Json.Text(cluster, "plan_info", "current", "plan", "elasticsearch", "version") ?? "-"}");
            context.Output.WriteLine($"Pending:   {(Json.TryGet(cluster, ["plan_info", "pending"], out _) ? "a plan is running" : "none")}");
            context.Output.Write(Table.Render(
                ["INSTANCE", "ALLOCATOR", "ZONE", "MEMORY_MB", "STATE", "ROUTABLE", "MAINTENANCE", "VERSION"],
                Json.Items(cluster, "topology", "instances").Select(i => new[]
                {
                    Json.Text(i, "instance_name"), Json.Text(i, "allocator_id"), Json.Text(i, "zone"), Json.Text(i, "memory_mb"),
                    Json.Text(i, "container_state"), Json.Text(i, "routable"), Json.Text(i, "maintenance_mode"), Json.Text(i, "service_version"),
                })));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Activity(CliRuntime runtime)
    {
        var command = new Command("activity", "Plan attempts and their steps");
        var id = new Argument<string>("cluster_id");
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the running attempt to its end" };
        command.Add(id);
        command.Add(watch);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var clusterId = parse.GetValue(id)!;
            if (parse.GetValue(watch))
            {
                return await context.WatchPlanAsync(clusterId, null, ct);
            }

            var activity = await context.Api.GetAsync($"{Clusters}/{CommandContext.Escape(clusterId)}/plan/activity", ct);
            if (context.Json)
            {
                context.WriteJson(activity);
                return ExitCodes.Ok;
            }

            var attempts = Json.Items(activity, "history").ToList();
            if (Json.TryGet(activity, ["current"], out var current))
            {
                attempts.Add(current);
            }

            context.Output.Write(Table.Render(
                ["ATTEMPT", "PLAN", "STRATEGY", "STATUS", "STARTED", "COMPLETED"],
                attempts.Select(a => new[] { Json.Text(a, "attempt_id"), Json.Text(a, "plan_id"), Json.Text(a, "strategy"), Json.Text(a, "status"), Json.Text(a, "started"), Json.Text(a, "completed") })));
            if (attempts.Count > 0)
            {
                var last = attempts[^1];
                context.Output.WriteLine();
                context.Output.WriteLine($"Steps of attempt {Json.Text(last, "attempt_id")}:");
                context.Output.Write(Table.Render(
                    ["STEP", "STATUS", "DURATION_MS", "LAST_LOG"],
                    Json.Items(last, "steps").Select(s => new[]
                    {
                        Json.Text(s, "step_id"), Json.Text(s, "status"),
                        Json.Number(s, "duration_ms")?.ToString(CultureInfo.InvariantCulture),
                        Json.Items(s, "info_log").Select(l => l.ToString()).LastOrDefault(),
                    })));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Shutdown(CliRuntime runtime)
    {
        var command = new Command("shutdown", "Stop every instance of a cluster");
        var id = new Argument<string>("cluster_id");
        var noWait = new Option<bool>("--no-wait") { Description = "Return once accepted" };
        command.Add(id);
        command.Add(noWait);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var clusterId = parse.GetValue(id)!;
            var accepted = await context.Api.PostAsync($"{Clusters}/{CommandContext.Escape(clusterId)}/_shutdown", null, ct);
            return await AcceptedAsync(context, accepted, clusterId, parse.GetValue(noWait) || Json.Text(accepted, "plan_id") is null, ct);
        });
        return command;
    }

    private static Command Delete(CliRuntime runtime)
    {
        var command = new Command("delete", "Remove a stopped cluster");
        var id = new Argument<string>("cluster_id");
        command.Add(id);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var clusterId = parse.GetValue(id)!;
            var result = await context.Api.DeleteAsync($"{Clusters}/{CommandContext.Escape(clusterId)}", ct);
            if (context.Json)
            {
                context.WriteJson(result);
            }
            else
            {
                context.Output.WriteLine($"Cluster {clusterId} deleted");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
