using Cloud.Shared.Coordination;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Hosting;

/// <summary>Checks <see cref="RunnerOptions"/> on start and reports every problem at once.</summary>
internal sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, RunnerOptions options)
    {
        var errors = new List<string>();
        if (!NodeNames.IsValid(options.HostId))
        {
            errors.Add($"Runner:HostId '{options.HostId}' must be 1-128 characters of a-z, 0-9, '.', '-', '_', starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(options.DataRoot) || !Path.IsPathFullyQualified(options.DataRoot))
        {
            errors.Add($"Runner:DataRoot '{options.DataRoot}' must be an absolute path.");
        }
        else if (Path.GetFullPath(options.DataRoot) == Path.GetPathRoot(options.DataRoot))
        {
            errors.Add("Runner:DataRoot must not be the file system root: every bind mount is confined to it.");
        }

        if (!Uri.TryCreate(options.DockerEndpoint, UriKind.Absolute, out _))
        {
            errors.Add($"Runner:DockerEndpoint '{options.DockerEndpoint}' is not an absolute URI (e.g. unix:///var/run/docker.sock).");
        }

        if (options.DockerCallTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Runner:DockerCallTimeout must be positive, got {options.DockerCallTimeout}.");
        }

        if (!Version.TryParse(options.DockerApiVersion, out _))
        {
            errors.Add($"Runner:DockerApiVersion '{options.DockerApiVersion}' is not a version like 1.41.");
        }

        Positive(errors, nameof(options.ResyncInterval), options.ResyncInterval);
        Positive(errors, nameof(options.RetryDelay), options.RetryDelay);
        if (options.MaxParallelActions is < 1 or > 64)
        {
            errors.Add("Runner:MaxParallelActions must be between 1 and 64.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Runner:{name} must be positive.");
        }
    }
}
