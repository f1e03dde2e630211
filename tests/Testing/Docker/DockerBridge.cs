using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Cloud.Testing;

/// <summary>
/// The address node containers and the host both reach published instance ports on: the docker
/// bridge's gateway. Loopback would do for the host but not between containers, so nodes of one
/// cluster could never find each other.
/// </summary>
public static class DockerBridge
{
    public static string GatewayAddress { get; } = Find();

    private static string Find()
    {
        var bridge = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == "docker0");
        var address = bridge?.GetIPProperties().UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        return address?.Address.ToString() ?? "172.17.0.1";
    }
}
