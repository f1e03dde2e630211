using System.CommandLine;
using Cloud.Cli.Api;
using Cloud.Cli.Output;

namespace Cloud.Cli.Commands;

/// <summary><c>cloudctl allocator list|maintenance|vacate</c>.</summary>
internal static class AllocatorCommands
{
    private const string Allocators = "api/v1/platform/infrastructure/allocators";

    public static Command Build(CliRuntime runtime)
    {
        var allocator = new Command("allocator", "Hosts that run Elasticsearch instances");
        allocator.Add(List(runtime));
        allocator.Add(Maintenance(runtime));
        allocator.Add(Vacate(runtime));
        return allocator;
    }

    private static Command List(CliRuntime runtime)
    {
        var command = new Command("list", "Every allocator: zone, capacity, maintenance, liveness");
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var list = await context.Api.GetAsync(Allocators, ct);
            if (context.Json)
            {
                context.WriteJson(list);
                return ExitCodes.Ok;
            }

            context.Output.Write(Table.Render(
                ["ALLOCATOR", "HOST", "ZONE", "USED_MB", "TOTAL_MB", "CONNECTED", "MAINTENANCE", "INSTANCES"],
                Json.Items(list, "allocators").Select(a => new[]
                {
                    Json.Text(a, "allocator_id"), Json.Text(a, "host"), Json.Text(a, "zone"),
                    Json.Text(a, "capacity", "memory", "used_mb"), Json.Text(a, "capacity", "memory", "total_mb"),
                    Json.Text(a, "connected"), Json.Text(a, "maintenance_mode"), Json.Format(Json.Items(a, "instances").Count()),
                })));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Maintenance(CliRuntime runtime)
    {
        var command = new Command("maintenance", "Put an allocator into maintenance (no new instances), or take it out with --stop");
        var id = new Argument<string>("allocator_id");
        var stop = new Option<bool>("--stop") { Description = "Leave maintenance mode" };
        command.Add(id);
        command.Add(stop);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var allocatorId = parse.GetValue(id)!;
            var verb = parse.GetValue(stop) ? "_stop" : "_start";
            var result = await context.Api.PostAsync($"{Allocators}/{CommandContext.Escape(allocatorId)}/maintenance-mode/{verb}", null, ct);
            if (context.Json)
            {
                context.WriteJson(result);
            }
            else
            {
                context.Output.WriteLine($"Allocator {allocatorId}: maintenance mode {(parse.GetValue(stop) ? "off" : "on")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Vacate(CliRuntime runtime)
    {
        var command = new Command("vacate", "Move every instance off an allocator (within its zone)");
        var id = new Argument<string>("allocator_id");
        command.Add(id);
        command.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var allocatorId = parse.GetValue(id)!;
            var result = await context.Api.PostAsync($"{Allocators}/{CommandContext.Escape(allocatorId)}/clusters/_move", null, ct);
            var errors = Json.Items(result, "errors").ToList();
            if (context.Json)
            {
                context.WriteJson(result);
            }
            else
            {
                context.Output.WriteLine($"Vacating {allocatorId}:");
                context.Output.Write(Table.Render(
                    ["CLUSTER", "PLAN"],
                    Json.Items(result, "moves").Select(m => new[] { Json.Text(m, "cluster_id"), Json.Text(m, "plan_id") })));
                foreach (var error in errors)
                {
                    context.Error.WriteLine($"not moved: {Json.Text(error, "code")}: {Json.Text(error, "message")}");
                }
            }

            return errors.Count == 0 ? ExitCodes.Ok : ExitCodes.ApiError;
        });
        return command;
    }
}
