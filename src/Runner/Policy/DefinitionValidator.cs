using System.Collections.Immutable;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Policy;

/// <summary>
/// Decides whether a definition may run on this host, collecting every reason it may not. The
/// platform assumes a hosted Elasticsearch may be compromised: nothing that widens what a container
/// can reach on its host (privileged mode, host namespaces, added capabilities, devices, bind mounts
/// outside the data root) is ever granted, and nothing the runner cannot pass on is silently dropped.
/// Total: any value JSON can hold (nulls inside arrays and maps included) gives a list of reasons, never an exception.
/// </summary>
internal static class DefinitionValidator
{
    public static ImmutableArray<string> Validate(string name, ContainerSpec spec, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = ImmutableArray.CreateBuilder<string>();
        if (!ContainerNameRule.IsValid(name))
        {
            errors.Add(ContainerNameRule.Describe(name));
        }

        if (string.IsNullOrWhiteSpace(spec.Image))
        {
            errors.Add("Image is required");
        }

        if (spec.StopTimeout is < 0)
        {
            errors.Add("StopTimeout must not be negative");
        }

        NoNulls(errors, "Entrypoint", spec.Entrypoint);
        NoNulls(errors, "Cmd", spec.Cmd);
        NoNulls(errors, "Env", spec.Env);
        if (spec.Labels?.Any(l => l.Value is null) == true)
        {
            errors.Add("Labels values must be strings");
        }

        foreach (var port in spec.ExposedPorts?.Keys ?? Enumerable.Empty<string>())
        {
            if (!PortRules.IsContainerPort(port))
            {
                errors.Add($"ExposedPorts key '{port}' is not a container port like 9200/tcp");
            }
        }

        if (spec.Healthcheck is { } health)
        {
            NoNulls(errors, "Healthcheck.Test", health.Test);
            if (health.Interval is < 0 || health.Timeout is < 0 || health.StartPeriod is < 0 || health.Retries is < 0)
            {
                errors.Add("Healthcheck durations and Retries must not be negative");
            }
        }

        foreach (var field in (spec.Unmodelled?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
        {
            errors.Add($"{field} is not supported by the runner (see src/Runner/README.md for the fields it passes on)");
        }

        if (spec.HostConfig is { } host)
        {
            HostConfigValidator.Validate(host, dataRoot, errors);
        }

        return errors.ToImmutable();
    }

    /// <summary>JSON <c>[null]</c> deserializes into an array holding null: refuse it rather than pass it on.</summary>
    internal static void NoNulls(ImmutableArray<string>.Builder errors, string field, ImmutableArray<string>? values)
    {
        if (values is { IsDefault: false } array && array.Any(v => v is null))
        {
            errors.Add($"{field} must be an array of strings (it holds null)");
        }
    }
}
