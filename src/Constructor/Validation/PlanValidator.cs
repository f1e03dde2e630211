using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Cloud.Constructor.Api;
using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Validation;

/// <summary>
/// Checks a plan on its own and against the cluster's current plan, collecting every error at once.
/// Placement (zones, memory, allocators) is checked separately, on the allocators that exist.
/// </summary>
public static partial class PlanValidator
{
    /// <summary>Roles a topology element may give its nodes.</summary>
    public static IReadOnlySet<string> KnownRoles { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "master", "data", "ingest", "ml", "remote_cluster_client", "transform", "voting_only", "data_content", "data_hot", "data_warm", "data_cold", "data_frozen",
    };

    /// <summary>Settings the platform sets itself; a plan's <c>user_settings</c> may not override them.</summary>
    public static IReadOnlyList<string> ReservedSettingPrefixes { get; } =
    [
        "node.name", "node.roles", "node.attr.zone", "cluster.name", "cluster.initial_master_nodes", "discovery.", "path.", "network.", "http.port",
        "transport.port", "http.host", "transport.host", "bootstrap.",
    ];

    public const int MaxNodesPerZone = 64;
    public const long MinMemoryMb = 256;
    public const long MaxMemoryMb = 1024 * 1024;

    public static ImmutableArray<ApiError> Validate(PlanSpec plan, PlanSpec? current, IReadOnlyCollection<string> availableVersions, string prefix = "plan.")
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(availableVersions);
        var errors = ImmutableArray.CreateBuilder<ApiError>();
        ValidateElasticsearch(plan, availableVersions, prefix, errors);
        ValidateTopology(plan, prefix, errors);
        ValidateTransient(plan, prefix, errors);
        if (current is not null && errors.Count == 0)
        {
            ValidateChange(plan, current, prefix, errors);
        }

        return errors.ToImmutable();
    }

    private static void ValidateElasticsearch(PlanSpec plan, IReadOnlyCollection<string> versions, string prefix, ImmutableArray<ApiError>.Builder errors)
    {
        var field = prefix + "elasticsearch.version";
        var version = plan.Elasticsearch?.Version;
        if (string.IsNullOrWhiteSpace(version))
        {
            errors.Add(new ApiError("plan.version_missing", "The plan must name an Elasticsearch version.", field));
        }
        else if (!ElasticsearchVersion.TryParse(version, out _))
        {
            errors.Add(new ApiError("plan.version_invalid", $"'{version}' is not a version of the form major.minor.patch.", field));
        }
        else if (plan.Elasticsearch?.DockerImage is null && !versions.Contains(version))
        {
            errors.Add(new ApiError(
                "plan.version_unavailable",
                $"No image exists for version {version}; available: {string.Join(", ", versions.Order(StringComparer.Ordinal))}.",
                field));
        }

        if (plan.Elasticsearch?.DockerImage is { } image && !ImageReference().IsMatch(image))
        {
            errors.Add(new ApiError("plan.docker_image_invalid", $"'{image}' is not a Docker image reference.", prefix + "elasticsearch.docker_image"));
        }

        foreach (var key in plan.Elasticsearch?.UserSettings?.Keys ?? [])
        {
            var settingField = prefix + "elasticsearch.user_settings." + key;
            if (!SettingName().IsMatch(key))
            {
                errors.Add(new ApiError("plan.user_setting_invalid", $"'{key}' is not an Elasticsearch setting name.", settingField));
            }
            else if (ReservedSettingPrefixes.Any(p => key == p || (p.EndsWith('.') && key.StartsWith(p, StringComparison.Ordinal)) || key.StartsWith(p + ".", StringComparison.Ordinal)))
            {
                errors.Add(new ApiError("plan.user_setting_reserved", $"'{key}' is set by the platform and cannot be overridden.", settingField));
            }
        }
    }

    private static void ValidateTopology(PlanSpec plan, string prefix, ImmutableArray<ApiError>.Builder errors)
    {
        if (plan.ClusterTopology.IsDefaultOrEmpty)
        {
            errors.Add(new ApiError("plan.topology_empty", "cluster_topology needs at least one element.", prefix + "cluster_topology"));
            return;
        }

        for (var i = 0; i < plan.ClusterTopology.Length; i++)
        {
            var element = plan.ClusterTopology[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"{prefix}cluster_topology[{i}]");
            if (element is null)
            {
                errors.Add(new ApiError("plan.invalid_value", "A topology element cannot be null.", field));
                continue;
            }

            if (element.MemoryPerNode is < MinMemoryMb or > MaxMemoryMb)
            {
                errors.Add(new ApiError("plan.invalid_value", string.Create(CultureInfo.InvariantCulture, $"memory_per_node must be between {MinMemoryMb} and {MaxMemoryMb} MB."), field + ".memory_per_node"));
            }

            if (element.NodeCountPerZone is < 1 or > MaxNodesPerZone)
            {
                errors.Add(new ApiError("plan.invalid_value", string.Create(CultureInfo.InvariantCulture, $"node_count_per_zone must be between 1 and {MaxNodesPerZone}."), field + ".node_count_per_zone"));
            }

            if (element.ZoneCount < 1)
            {
                errors.Add(new ApiError("plan.invalid_value", "zone_count must be at least 1.", field + ".zone_count"));
            }

            if (element.NodeRoles.IsDefaultOrEmpty)
            {
                errors.Add(new ApiError("plan.invalid_value", "node_roles needs at least one role.", field + ".node_roles"));
            }
            else
            {
                foreach (var role in element.NodeRoles.Where(r => r is null || !KnownRoles.Contains(r)))
                {
                    errors.Add(new ApiError("plan.invalid_value", $"Unknown node role '{role}'.", field + ".node_roles"));
                }

                if (element.NodeRoles.Distinct(StringComparer.Ordinal).Count() != element.NodeRoles.Length)
                {
                    errors.Add(new ApiError("plan.invalid_value", "node_roles lists a role twice.", field + ".node_roles"));
                }
            }

            foreach (var (key, value) in element.FilterTags)
            {
                if (string.IsNullOrWhiteSpace(key) || value is null)
                {
                    errors.Add(new ApiError("plan.invalid_value", "allocator_filter.tags needs non-empty keys and string values.", field + ".allocator_filter.tags"));
                }
            }
        }

        if (!plan.ClusterTopology.Any(e => e is not null && !e.NodeRoles.IsDefaultOrEmpty && e.IsMasterEligible))
        {
            errors.Add(new ApiError("plan.no_master", "At least one topology element must have the master role.", prefix + "cluster_topology"));
        }
    }

    private static void ValidateTransient(PlanSpec plan, string prefix, ImmutableArray<ApiError>.Builder errors)
    {
        var transient = plan.Transient;
        if (transient?.Strategy is { } strategy && !PlanStrategies.All.Contains(strategy))
        {
            errors.Add(new ApiError("plan.strategy_unknown", $"Unknown strategy '{strategy}'; one of {string.Join(", ", PlanStrategies.All)}.", prefix + "transient.strategy"));
        }

        if (transient?.Rolling?.GroupBy is { } groupBy && !PlanStrategies.Groupings.Contains(groupBy))
        {
            errors.Add(new ApiError("plan.invalid_value", $"Unknown group_by '{groupBy}'; one of {string.Join(", ", PlanStrategies.Groupings)}.", prefix + "transient.rolling.group_by"));
        }

        if (transient?.PlanConfiguration?.TimeoutSeconds is < 1 or > 7 * 24 * 3600)
        {
            errors.Add(new ApiError("plan.invalid_value", "timeout_seconds must be between 1 and 604800.", prefix + "transient.plan_configuration.timeout_seconds"));
        }
    }

    private static void ValidateChange(PlanSpec plan, PlanSpec current, string prefix, ImmutableArray<ApiError>.Builder errors)
    {
        if (!ElasticsearchVersion.TryParse(plan.Version, out var next) || !ElasticsearchVersion.TryParse(current.Version, out var now))
        {
            return;
        }

        var field = prefix + "elasticsearch.version";
        if (next < now)
        {
            errors.Add(new ApiError("plan.version_downgrade", $"The cluster runs {now}; a downgrade to {next} is not possible.", field));
        }
        else if (next.Major > now.Major + 1)
        {
            errors.Add(new ApiError("plan.version_incompatible", $"An upgrade from {now} to {next} skips a major version; upgrade to {now.Major + 1}.x first.", field));
        }

        if (next != now && !plan.HasSameTopologyAs(current) && plan.Transient?.PlanConfiguration?.TwoPhase != true)
        {
            errors.Add(new ApiError(
                "plan.version_and_topology_change",
                "A version change and a topology change must be separate plans (or set transient.plan_configuration.two_phase to run them as two recorded phases).",
                field));
        }
    }

    [GeneratedRegex("^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$")]
    private static partial Regex ImageReference();

    [GeneratedRegex("^[a-z0-9_][a-z0-9_.-]{0,254}$")]
    private static partial Regex SettingName();
}
