using System.Collections.Immutable;
using Cloud.Constructor.Api;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Infrastructure;
using Cloud.Constructor.Security;
using Cloud.Constructor.Validation;
using Cloud.Shared.Coordination;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Constructor.Routing;

/// <summary>The routing part of the API: effective routing, on-call overrides.</summary>
public static class RoutingEndpoints
{
    public const long MaxTtlSeconds = 30L * 24 * 3600;

    public static IEndpointRouteBuilder MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(ApiPaths.Clusters + "/{cluster_id}/routing").WithTags("routing");
        group.MapGet("/", GetAsync).Produces<RoutingView>();
        group.MapPut("/overrides/{override_id}", PutOverrideAsync).Accepts<OverrideRequest>("application/json").Produces<OverrideView>();
        group.MapDelete("/overrides/{override_id}", DeleteOverrideAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string cluster_id, ClusterStore store, PlatformReader platform, TimeProvider time, CancellationToken ct)
    {
        if (await store.TryGetAsync(cluster_id, ct) is not { } snapshot)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        var statuses = await platform.ReadInstancesAsync(cluster_id, ct);
        var allocators = (await platform.ReadAllocatorsAsync(ct)).ToDictionary(a => a.AllocatorId, StringComparer.Ordinal);
        var table = await platform.ReadRoutingAsync(cluster_id, ct);
        var now = time.GetUtcNow();
        var overrides = (await platform.ReadOverridesAsync(cluster_id, ct)).Select(o => new OverrideView(o.Key, o.Value, o.Value.IsActiveAt(now))).ToImmutableArray();
        var planned = (snapshot.Plans.Current?.Instances ?? []).Concat(snapshot.Plans.Pending?.Instances ?? []).DistinctBy(i => i.InstanceName);
        var instances = planned.Select(i =>
        {
            statuses.TryGetValue(i.InstanceName, out var status);
            var connected = allocators.TryGetValue(i.AllocatorId, out var a) && a.Connected;
            var reachable = status?.Probe?.Reachable == true;
            var maintenance = snapshot.Plans.MaintenanceInstances.Contains(i.InstanceName);
            var listed = table is null || table.Instances.Contains(i.InstanceName);
            var excluded = overrides.Any(o => o.Active && o.Override.Action == RoutingOverrideActions.Exclude && o.Override.Instances.Contains(i.InstanceName));
            var pinnedAway = overrides.Any(o => o.Active && o.Override.Action == RoutingOverrideActions.Pin && !o.Override.Instances.Contains(i.InstanceName));
            var blocked = overrides.Any(o => o.Active && o.Override.Action is RoutingOverrideActions.Block or RoutingOverrideActions.Redirect);
            var routable = connected && reachable && status?.ContainerState == "running" && listed && !maintenance && !excluded && !pinnedAway && !blocked;
            return new RoutingInstanceView(i.InstanceName, i.AllocatorId, i.Zone, status?.ContainerState ?? "pending", reachable, connected, maintenance, routable);
        }).ToImmutableArray();
        return ApiResults.Json(new RoutingView(cluster_id, instances, table, overrides));
    }

    private static async Task<IResult> PutOverrideAsync(string cluster_id, string override_id, HttpRequest request, ClusterStore store, PlatformReader platform, TimeProvider time, CancellationToken ct)
    {
        var (input, refusal) = await RequestBody.ReadJsonAsync<OverrideRequest>(request, ct);
        if (input is null)
        {
            return refusal!;
        }

        if (await store.TryGetAsync(cluster_id, ct) is null)
        {
            return ApiResults.ClusterNotFound(cluster_id);
        }

        var errors = await ValidateAsync(override_id, input, store, ct);
        if (!errors.IsEmpty)
        {
            return ApiResults.Errors(StatusCodes.Status400BadRequest, errors);
        }

        var now = time.GetUtcNow();
        var value = new RoutingOverride
        {
            Action = input.Action!,
            Instances = input.Instances ?? [],
            TargetClusterId = input.TargetClusterId,
            Reason = input.Reason!,
            Author = ApiCaller.Of(request.HttpContext).Name,
            CreatedAt = now,
            ExpiresAt = input.TtlSeconds is { } ttl ? now.AddSeconds(ttl) : null,
        };
        var client = await platform.ClientAsync(ct);
        var path = CloudPaths.Override(cluster_id, override_id);
        await client.CreateRecursiveAsync(CloudPaths.OverridesOf(cluster_id), cancellationToken: ct);
        try
        {
            await client.CreateAsync(path, CloudJson.Serialize(value), cancellationToken: ct);
        }
        catch (NodeExistsException)
        {
            await client.SetDataAsync(path, CloudJson.Serialize(value), cancellationToken: ct);
        }

        return ApiResults.Json(new OverrideView(override_id, value, value.IsActiveAt(now)));
    }

    private static async Task<ImmutableArray<ApiError>> ValidateAsync(string overrideId, OverrideRequest input, ClusterStore store, CancellationToken ct)
    {
        var errors = ImmutableArray.CreateBuilder<ApiError>();
        if (!NodeNames.IsValid(overrideId))
        {
            errors.Add(new ApiError("override.id_invalid", "override_id: 1-128 characters of a-z, 0-9, '.', '-', '_'.", "override_id"));
        }

        if (input.Action is null || !RoutingOverrideActions.All.Contains(input.Action))
        {
            errors.Add(new ApiError("override.action_invalid", $"action must be one of {string.Join(", ", RoutingOverrideActions.All)}.", "action"));
        }

        if (string.IsNullOrWhiteSpace(input.Reason) || input.Reason.Length > 1024)
        {
            errors.Add(new ApiError("override.reason_missing", "reason is required (at most 1024 characters): say why, for whoever comes next.", "reason"));
        }

        var instances = input.Instances ?? [];
        if (input.Action is RoutingOverrideActions.Exclude or RoutingOverrideActions.Pin && instances.IsEmpty)
        {
            errors.Add(new ApiError("override.instances_missing", $"'{input.Action}' needs the instances it applies to.", "instances"));
        }

        if (instances.Any(i => !NodeNames.IsValid(i)))
        {
            errors.Add(new ApiError("override.instances_invalid", "instances must be instance names.", "instances"));
        }

        if (input.Action == RoutingOverrideActions.Redirect)
        {
            if (input.TargetClusterId is null || !NodeNames.IsValid(input.TargetClusterId) || await store.TryGetAsync(input.TargetClusterId, ct) is null)
            {
                errors.Add(new ApiError("override.target_invalid", "redirect needs target_cluster_id, an existing cluster.", "target_cluster_id"));
            }
        }
        else if (input.TargetClusterId is not null)
        {
            errors.Add(new ApiError("override.target_unexpected", "target_cluster_id is only for redirect.", "target_cluster_id"));
        }

        if (input.TtlSeconds is < 1 or > MaxTtlSeconds)
        {
            errors.Add(new ApiError("override.ttl_invalid", $"ttl_seconds must be between 1 and {MaxTtlSeconds} (or absent for no expiry).", "ttl_seconds"));
        }

        return errors.ToImmutable();
    }

    private static async Task<IResult> DeleteOverrideAsync(string cluster_id, string override_id, PlatformReader platform, CancellationToken ct)
    {
        if (!NodeNames.IsValid(cluster_id) || !NodeNames.IsValid(override_id))
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "override.not_found", "No such override.");
        }

        var client = await platform.ClientAsync(ct);
        try
        {
            await client.DeleteAsync(CloudPaths.Override(cluster_id, override_id), cancellationToken: ct);
            return ApiResults.Json(new { cluster_id, override_id });
        }
        catch (NoNodeException)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "override.not_found", $"No override '{override_id}' on cluster '{cluster_id}'.");
        }
    }
}
