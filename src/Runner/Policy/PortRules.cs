using System.Globalization;

namespace Cloud.Runner.Policy;

/// <summary>Docker's port notations: <c>9200/tcp</c> for a container port, a decimal 1-65535 for a host port.</summary>
internal static class PortRules
{
    public static bool IsContainerPort(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var number = slash < 0 ? value : value[..slash];
        var protocol = slash < 0 ? "tcp" : value[(slash + 1)..];
        return IsPort(number) && protocol is "tcp" or "udp" or "sctp";
    }

    public static bool IsPort(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;
}
