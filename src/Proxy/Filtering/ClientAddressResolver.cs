using System.Net;
using Cloud.Proxy.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Cloud.Proxy.Filtering;

/// <summary>
/// The client address a traffic filter judges: the socket's peer, unless that peer is a configured
/// trusted proxy, in which case <c>X-Forwarded-For</c> is read from the right and the first address
/// that is not a trusted proxy is the client. Anyone else's <c>X-Forwarded-For</c> is ignored.
/// </summary>
internal sealed class ClientAddressResolver
{
    public const string ForwardedFor = "X-Forwarded-For";

    private readonly IPNetwork[] _trusted;

    public ClientAddressResolver(IOptions<ProxyOptions> options)
    {
        var trusted = new List<IPNetwork>();
        foreach (var entry in options.Value.TrustedProxies)
        {
            if (!CidrParser.TryParse(entry, out var network))
            {
                throw new OptionsValidationException(nameof(ProxyOptions.TrustedProxies), typeof(ProxyOptions), [$"Proxy:TrustedProxies: '{entry}' is not a CIDR or an IP address"]);
            }

            trusted.Add(network);
        }

        _trusted = [.. trusted];
    }

    public IPAddress? Resolve(HttpContext context) => Resolve(context.Connection.RemoteIpAddress, context.Request.Headers[ForwardedFor]);

    /// <summary>The client address judged for a connection from <paramref name="remote"/> carrying these <c>X-Forwarded-For</c> values.</summary>
    public IPAddress? Resolve(IPAddress? remote, StringValues forwardedFor)
    {
        var peer = Normalize(remote);
        if (peer is null || !IsTrusted(peer))
        {
            return peer;
        }

        var header = forwardedFor;
        for (var v = header.Count - 1; v >= 0; v--)
        {
            var hops = (header[v] ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (!IPAddress.TryParse(hops[i], out var hop))
                {
                    // A hop we cannot read: stop trusting the chain and judge the last address we could.
                    return peer;
                }

                peer = Normalize(hop)!;
                if (!IsTrusted(peer))
                {
                    return peer;
                }
            }
        }

        return peer;
    }

    /// <summary>Whether <c>X-Forwarded-For</c> matters for a connection from <paramref name="remote"/> (it comes from a trusted proxy).</summary>
    public bool ReadsForwardedFor(IPAddress? remote) => Normalize(remote) is { } peer && IsTrusted(peer);

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
