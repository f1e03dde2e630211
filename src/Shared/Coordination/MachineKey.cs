namespace Cloud.Shared.Coordination;

/// <summary>
/// A node name for the machine behind a host address. Host ports are a per-machine resource: only
/// allocators publishing on the same address (several simulated hosts on one machine) compete for
/// them, while allocators on different machines may reuse the same port numbers.
/// </summary>
public static class MachineKey
{
    public static string For(string hostAddress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostAddress);
        var key = new string([.. hostAddress.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')]).Trim('_');
        NodeNames.EnsureValid(key, "host address");
        return key;
    }
}
