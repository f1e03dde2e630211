using System.Net;
using Cloud.Allocator.Ports;
using Cloud.Shared.Coordination;
using Microsoft.Extensions.Options;

namespace Cloud.Allocator.Configuration;

/// <summary>Checks <see cref="AllocatorOptions"/> on start and reports every problem at once.</summary>
internal sealed class AllocatorOptionsValidator : IValidateOptions<AllocatorOptions>
{
    public ValidateOptionsResult Validate(string? name, AllocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.AllocatorId is not null && !NodeNames.IsValid(options.AllocatorId))
        {
            errors.Add($"Allocator:AllocatorId '{options.AllocatorId}' is not a valid id (a-z, 0-9, '.', '-', '_').");
        }

        if (options.HostId is not null && !NodeNames.IsValid(options.HostId))
        {
            errors.Add($"Allocator:HostId '{options.HostId}' is not a valid id (a-z, 0-9, '.', '-', '_').");
        }

        if (string.IsNullOrWhiteSpace(options.Zone))
        {
            errors.Add("Allocator:Zone is required.");
        }

        if (string.IsNullOrWhiteSpace(options.HostAddress))
        {
            errors.Add("Allocator:HostAddress is required: the address other hosts reach this host's published ports on.");
        }

        if (!IPAddress.TryParse(options.PortBindIp, out _))
        {
            errors.Add($"Allocator:PortBindIp '{options.PortBindIp}' is not an IP address.");
        }

        if (options.MemoryCapacityMb < 0)
        {
            errors.Add("Allocator:MemoryCapacityMb must be 0 (detect) or positive.");
        }

        if (options.MemoryReserveMb < 0)
        {
            errors.Add("Allocator:MemoryReserveMb must not be negative.");
        }

        if (string.IsNullOrWhiteSpace(options.DataRoot) || !Path.IsPathRooted(options.DataRoot))
        {
            errors.Add($"Allocator:DataRoot '{options.DataRoot}' must be an absolute path (the runner's data root).");
        }

        if (!PortRange.TryParse(options.PortRange, out var range))
        {
            errors.Add($"Allocator:PortRange '{options.PortRange}' must be 'first-last' within 1-65535.");
        }
        else if (range.Value.Count < 2)
        {
            errors.Add($"Allocator:PortRange '{options.PortRange}' must hold at least two ports (http and transport).");
        }

        if (string.IsNullOrWhiteSpace(options.ImageTemplate))
        {
            errors.Add("Allocator:ImageTemplate is required, e.g. 'docker.elastic.co/elasticsearch/elasticsearch:{version}'.");
        }

        if (options.StopTimeoutSeconds < 0)
        {
            errors.Add("Allocator:StopTimeoutSeconds must not be negative.");
        }

        if (options.ProbeInterval <= TimeSpan.Zero)
        {
            errors.Add("Allocator:ProbeInterval must be positive.");
        }

        if (options.ProbeTimeout <= TimeSpan.Zero)
        {
            errors.Add("Allocator:ProbeTimeout must be positive.");
        }

        errors.AddRange(options.Tags.Keys.Where(string.IsNullOrWhiteSpace).Select(_ => "Allocator:Tags must not have empty keys."));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
