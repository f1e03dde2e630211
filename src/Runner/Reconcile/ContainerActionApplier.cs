using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Cloud.Runner.Policy;
using Cloud.Shared.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// Carries out one <see cref="ContainerAction"/> against the engine. Every step is idempotent
/// (stopping a stopped container, removing a removed one are no-ops), so a pass interrupted halfway
/// is simply finished by the next one. Engine failures become an <see cref="ActionOutcome"/> error.
/// </summary>
internal sealed partial class ContainerActionApplier(
    IContainerRuntime runtime,
    IOptions<RunnerOptions> options,
    ILogger<ContainerActionApplier> logger)
{
    private readonly RunnerOptions _options = options.Value;

    /// <summary>Applies a changing action; returns null for actions that change nothing.</summary>
    public async Task<ActionOutcome?> ApplyAsync(ContainerAction action, CancellationToken cancellationToken)
    {
        if (!action.IsChange)
        {
            return null;
        }

        var hash = action.Desired?.Hash;
        LogApplying(action.Kind, action.Name, action.Reason);
        try
        {
            switch (action.Kind)
            {
                case ContainerActionKind.Create:
                    return await CreateAndStartAsync(action.Desired!, cancellationToken);
                case ContainerActionKind.Recreate:
                    // Stopping the running node for a definition that cannot start would leave nothing running.
                    if (await MissingImageAsync(action.Desired!, cancellationToken) is { } missing)
                    {
                        return new ActionOutcome(action.Name, hash, missing + "; the container of the previous definition keeps running");
                    }

                    if (CheckBinds(action.Desired!) is { } notReady)
                    {
                        return notReady with { Error = notReady.Error + "; the container of the previous definition keeps running" };
                    }

                    await StopAndRemoveAsync(action.Observed!, cancellationToken);
                    return await CreateAndStartAsync(action.Desired!, cancellationToken);
                case ContainerActionKind.Remove:
                    await StopAndRemoveAsync(action.Observed!, cancellationToken);
                    return ActionOutcome.Success(action.Name, hash);
                default:
                    await runtime.StartAsync(action.Observed!.Id, cancellationToken);
                    return ActionOutcome.Success(action.Name, hash);
            }
        }
        catch (ContainerRuntimeException ex)
        {
            LogActionFailed(ex, action.Kind, action.Name);
            return new ActionOutcome(action.Name, hash, ex.Message);
        }
        catch (Exception ex) when (ErrorPolicy.IsRetried(ex, cancellationToken))
        {
            // Whatever goes wrong with one container (the file system, an engine answer we did not expect,
            // a bug) is that container's published error, retried next pass; the other containers go on.
            LogActionFailed(ex, action.Kind, action.Name);
            return new ActionOutcome(action.Name, hash, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<string?> MissingImageAsync(DesiredContainer desired, CancellationToken cancellationToken) =>
        desired.Spec is { } spec && !await runtime.ImageExistsAsync(spec.Image, cancellationToken)
            ? $"image {spec.Image} is not present on this host"
            : null;

    /// <returns>Why the container cannot be created now, or null when its bind sources are ready.</returns>
    private ActionOutcome? CheckBinds(DesiredContainer desired)
    {
        var binds = BindSourceGuard.Check(desired.Spec!, _options.DataRoot);
        if (!binds.Refusals.IsEmpty)
        {
            return new ActionOutcome(desired.Name, desired.Hash, string.Join("; ", binds.Refusals), IsRefusal: true);
        }

        return binds.Missing.IsEmpty ? null : new ActionOutcome(desired.Name, desired.Hash, string.Join("; ", binds.Missing));
    }

    private async Task StopAndRemoveAsync(RuntimeContainerState container, CancellationToken cancellationToken)
    {
        if (container.IsRunning)
        {
            await runtime.StopAsync(container.Id, cancellationToken);
        }

        await runtime.RemoveAsync(container.Id, cancellationToken);
    }

    private async Task<ActionOutcome> CreateAndStartAsync(DesiredContainer desired, CancellationToken cancellationToken)
    {
        if (CheckBinds(desired) is { } notReady)
        {
            return notReady;
        }

        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        [
            new KeyValuePair<string, string>(OwnerLabels.HostId, _options.HostId),
            new KeyValuePair<string, string>(OwnerLabels.DefinitionHash, desired.Hash!),
        ]);
        string id;
        try
        {
            id = await runtime.CreateAsync(new ContainerCreateRequest(desired.Name, desired.Spec!, labels), cancellationToken);
        }
        catch (ContainerNameConflictException)
        {
            var holder = await runtime.InspectAsync(desired.Name, cancellationToken);
            if (holder?.OwnerHostId == _options.HostId)
            {
                // Ours after all (created by a pass that raced this one): the next pass adopts or recreates it.
                return ActionOutcome.Success(desired.Name, desired.Hash);
            }

            var owner = holder?.OwnerHostId is { } other ? $"the runner of host '{other}'" : "no runner";
            return new ActionOutcome(desired.Name, desired.Hash,
                $"a container named '{desired.Name}' already exists and belongs to {owner}; it is left untouched");
        }

        await runtime.StartAsync(id, cancellationToken);
        return ActionOutcome.Success(desired.Name, desired.Hash);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} container {Name}: {Reason}")]
    private partial void LogApplying(ContainerActionKind action, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} container {Name} failed")]
    private partial void LogActionFailed(Exception exception, ContainerActionKind action, string name);
}
