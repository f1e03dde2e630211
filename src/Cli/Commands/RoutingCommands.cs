using System.CommandLine;
using System.Text.Json.Nodes;
using Cloud.Cli.Api;
using Cloud.Cli.Output;

namespace Cloud.Cli.Commands;

/// <summary><c>cloudctl routing show|override add|override remove</c>: on-call traffic control.</summary>
internal static class RoutingCommands
{
    private static readonly string[] Actions = ["exclude", "pin", "block", "redirect"];

    public static Command Build(CliRuntime runtime)
    {
        var routing = new Command("routing", "A cluster's effective routing and on-call overrides");
        routing.Add(Show(runtime));
        var overrides = new Command("override", "On-call routing overrides");
        overrides.Add(Add(runtime));
        overrides.Add(Remove(runtime));
        routing.Add(overrides);
        return routing;
    }

    private static string Path(string clusterId) => $"api/v1/clusters/elasticsearch/{CommandContext.Escape(clusterId)}/routing";

    private static Command Show(CliRuntime runtime)
    {
        var command = new Command("show", "Instances, their state and routability, and the overrides in force");
        var id = new Argument<string>("cluster_id");
        command.Add(id);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var routing = await context.Api.GetAsync(Path(parse.GetValue(id)!), ct);
            if (context.Json)
            {
                context.WriteJson(routing);
                return ExitCodes.Ok;
            }

            context.Output.Write(Table.Render(
                ["INSTANCE", "ALLOCATOR", "ZONE", "STATE", "REACHABLE", "MAINTENANCE", "ROUTABLE"],
                Json.Items(routing, "instances").Select(i => new[]
                {
                    Json.Text(i, "instance_name"), Json.Text(i, "allocator_id"), Json.Text(i, "zone"), Json.Text(i, "container_state"),
                    Json.Text(i, "reachable"), Json.Text(i, "maintenance_mode"), Json.Text(i, "routable"),
                })));
            var overrides = Json.Items(routing, "overrides").ToList();
            if (overrides.Count > 0)
            {
                context.Output.WriteLine();
                context.Output.Write(Table.Render(
                    ["OVERRIDE", "ACTION", "INSTANCES", "TARGET", "ACTIVE", "EXPIRES_AT", "AUTHOR", "REASON"],
                    overrides.Select(o => new[]
                    {
                        Json.Text(o, "override_id"), Json.Text(o, "override", "action"), Json.Join(Json.Items(o, "override", "instances")),
                        Json.Text(o, "override", "target_cluster_id"), Json.Text(o, "active"), Json.Text(o, "override", "expires_at"),
                        Json.Text(o, "override", "author"), Json.Text(o, "override", "reason"),
                    })));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Add(CliRuntime runtime)
    {
        var command = new Command("add", "Add or replace an override");
        var id = new Argument<string>("cluster_id");
        var overrideId = new Argument<string>("override_id");
        var action = new Option<string>("--action") { Description = "exclude, pin, block or redirect", Required = true };
        action.AcceptOnlyFromAmong(Actions);
        var instances = new Option<string?>("--instances") { Description = "Instance names, comma-separated (exclude, pin)" };
        var target = new Option<string?>("--target") { Description = "Target cluster id (redirect)" };
        var reason = new Option<string>("--reason") { Description = "Why (kept with the override)", Required = true };
        var ttl = new Option<long?>("--ttl") { Description = "Seconds until it expires (default: never)" };
        foreach (var symbol in new Symbol[] { id, overrideId, action, instances, target, reason, ttl })
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Add(argument);
                    break;
                case Option option:
                    command.Add(option);
                    break;
            }
        }

        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var body = new JsonObject
            {
                ["action"] = parse.GetValue(action),
                ["instances"] = new JsonArray([.. (parse.GetValue(instances) ?? string.Empty)
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(i => (JsonNode)JsonValue.Create(i))]),
                ["target_cluster_id"] = parse.GetValue(target),
                ["reason"] = parse.GetValue(reason),
                ["ttl_seconds"] = parse.GetValue(ttl),
            };
            var clusterId = parse.GetValue(id)!;
            var name = parse.GetValue(overrideId)!;
            var result = await context.Api.PutAsync($"{Path(clusterId)}/overrides/{CommandContext.Escape(name)}", body, ct);
            if (context.Json)
            {
                context.WriteJson(result);
            }
            else
            {
                context.Output.WriteLine($"Override {name} on {clusterId}: {parse.GetValue(action)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliRuntime runtime)
    {
        var command = new Command("remove", "Remove an override");
        var id = new Argument<string>("cluster_id");
        var overrideId = new Argument<string>("override_id");
        command.Add(id);
        command.Add(overrideId);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var clusterId = parse.GetValue(id)!;
            var name = parse.GetValue(overrideId)!;
            var result = await context.Api.DeleteAsync($"{Path(clusterId)}/overrides/{CommandContext.Escape(name)}", ct);
            if (context.Json)
            {
                context.WriteJson(result);
            }
            else
            {
                context.Output.WriteLine($"Override {name} on {clusterId} removed");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
