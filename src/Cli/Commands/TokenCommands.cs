using System.CommandLine;
using System.Text.Json.Nodes;
using Cloud.Cli.Api;

namespace Cloud.Cli.Commands;

/// <summary><c>cloudctl token create</c>: an enrollment token for <c>deploy/install.sh --token</c>.</summary>
internal static class TokenCommands
{
    private const string Tokens = "api/v1/platform/configuration/security/enrollment-tokens";

    public static Command Build(CliRuntime runtime)
    {
        var token = new Command("token", "Enrollment tokens for installing hosts");
        var create = new Command("create", "Issue a token that lets a host join with the given roles");
        var roles = new Option<string>("--roles") { Description = "Roles, comma-separated (runner, allocator, proxy, constructor)", Required = true };
        var validity = new Option<TimeSpan>("--validity") { Description = "How long the token may be used (e.g. 01:00:00)", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        create.Add(roles);
        create.Add(validity);
        create.SetAction(async (parse, ct) =>
        {
            var context = CommandContext.Create(parse, runtime);
            var lifetime = parse.GetValue(validity);
            if (lifetime <= TimeSpan.Zero)
            {
                throw new UsageException("--validity must be positive.");
            }

            var body = new JsonObject
            {
                ["roles"] = new JsonArray([.. parse.GetValue(roles)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => (JsonNode)JsonValue.Create(r))]),
                ["validity_seconds"] = (long)lifetime.TotalSeconds,
            };
            var result = await context.Api.PostAsync(Tokens, body, ct);
            if (context.Json)
            {
                context.WriteJson(result);
            }
            else
            {
                context.Output.WriteLine(Json.Text(result, "token"));
                context.Error.WriteLine($"roles {Json.Join(Json.Items(result, "roles"))}, expires {Json.Text(result, "expires_at") ?? "-"}");
            }

            return ExitCodes.Ok;
        });
        token.Add(create);
        return token;
    }
}
