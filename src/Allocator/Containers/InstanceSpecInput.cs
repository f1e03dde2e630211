using System.Collections.Immutable;
using Cloud.Allocator.Ports;
using Cloud.Shared.Allocators;

namespace Cloud.Allocator.Containers;

/// <summary>Everything besides the allocator's options that decides one instance's container definition.</summary>
/// <param name="InstanceId">The assignment's node name: keys the data directory and the port reservation.</param>
/// <param name="SeedHosts">
/// <c>host:transport_port</c> of the cluster's other instances when the definition was first written;
/// kept from then on so it never forces a recreation (live changes go through <c>unicast_hosts.txt</c>).
/// </param>
internal sealed record InstanceSpecInput(string InstanceId, InstanceAssignment Assignment, InstancePorts Ports, ImmutableArray<string> SeedHosts);
