using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Logging;

namespace Cloud.Allocator.Registration;

/// <summary>
/// Keeps <c>/cloud/allocators/&lt;allocator_id&gt;</c> (ephemeral) up to date through the shared
/// <see cref="EphemeralRegistration"/> recipe, which re-creates it in every new session. Writes only
/// when the advertised content changes.
/// </summary>
internal sealed class AllocatorAdvertiser(ILogger<AllocatorAdvertiser> logger) : IAsyncDisposable
{
    private EphemeralRegistration? _registration;
    private ZooKeeperClient? _client;
    private byte[] _advertised = [];

    /// <summary>
    /// Whether this allocator's session holds its registration node: its lease on the allocator id.
    /// False while another session (a second allocator with the same id, or our own previous session
    /// that has not expired yet) holds it.
    /// </summary>
    public bool IsRegistered => _registration?.IsRegistered ?? false;

    public async Task AdvertiseAsync(ZooKeeperClient client, AllocatorRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var data = CloudJson.Serialize(registration);
        if (_registration is not null && ReferenceEquals(_client, client))
        {
            if (!data.AsSpan().SequenceEqual(_advertised))
            {
                await _registration.UpdateAsync(data, cancellationToken);
                _advertised = data;
            }

            return;
        }

        await DisposeAsync();
        _client = client;
        _registration = new EphemeralRegistration(client, CloudPaths.Allocator(registration.AllocatorId), logger);
        await _registration.StartAsync(data, cancellationToken);
        _advertised = data;
    }

    public async ValueTask DisposeAsync()
    {
        if (_registration is not null)
        {
            await _registration.DisposeAsync();
            _registration = null;
        }
    }
}
