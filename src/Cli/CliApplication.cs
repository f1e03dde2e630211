using System.CommandLine;
using Cloud.Cli.Api;
using Cloud.Cli.Commands;
using Cloud.Cli.Configuration;

namespace Cloud.Cli;

/// <summary>The <c>cloudctl</c> command tree and its exit codes (<see cref="ExitCodes"/>).</summary>
public sealed class CliApplication(CliEnvironment environment, HttpMessageHandler? handler = null, TimeSpan? pollInterval = null)
{
    public async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(30);
        var runtime = new CliRuntime(environment, http, output, error, pollInterval ?? TimeSpan.FromSeconds(1));
        var root = new RootCommand("cloudctl: operate the Elasticsearch-as-a-service platform through the constructor's API")
        {
            runtime.Options.ApiUrl,
            runtime.Options.ApiKey,
            runtime.Options.Output,
            ClusterCommands.Build(runtime),
            AllocatorCommands.Build(runtime),
            RoutingCommands.Build(runtime),
            TokenCommands.Build(runtime),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await error.WriteLineAsync("cloudctl: " + parseError.Message);
            }

            await error.WriteLineAsync("Try 'cloudctl --help'.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("cloudctl: " + ex.Message);
            return ExitCodes.Usage;
        }
        catch (ApiUnreachableException ex)
        {
            await error.WriteLineAsync("cloudctl: " + ex.Message);
            return ExitCodes.Unreachable;
        }
        catch (ApiException ex)
        {
            await error.WriteLineAsync($"cloudctl: the API answered {(int)ex.Status}:");
            foreach (var item in ex.Errors)
            {
                await error.WriteLineAsync($"  {item.Code}: {item.Message}" + (item.Field is null ? string.Empty : $" (field {item.Field})"));
            }

            if (ex.Errors.IsEmpty && ex.Body.Length > 0)
            {
                await error.WriteLineAsync("  " + ex.Body);
            }

            return ExitCodes.ApiError;
        }
    }
}
