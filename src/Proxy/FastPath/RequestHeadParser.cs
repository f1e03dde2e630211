using System.Text;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Parses a plain HTTP/1.1 request head (RFC 9112) for the fast path. It says no to anything it does not handle
/// itself: other versions, absolute targets, upgrades, <c>Expect</c>, folded or odd lines, conflicting framing.
/// No is not a refusal: the connection then goes to Kestrel and YARP, which answer exactly as the contract says
/// (400, 431, 101, 100-continue, ...).
/// </summary>
internal static class RequestHeadParser
{
    private const int MaxMethodLength = 16;

    /// <summary>Fills <paramref name="head"/> from its first <see cref="RequestHead.Length"/> bytes; false when the fast path should not take it.</summary>
    public static bool TryParse(RequestHead head)
    {
        head.Reset();
        var bytes = head.Bytes.AsSpan(0, head.Length);
        var lineEnd = bytes.IndexOf(HttpSyntax.Crlf);
        if (lineEnd < 0 || !TryParseRequestLine(head, bytes[..lineEnd]))
        {
            return false;
        }

        var position = lineEnd + 2;
        while (true)
        {
            var length = bytes[position..].IndexOf(HttpSyntax.Crlf);
            if (length < 0)
            {
                return false;
            }

            if (length == 0)
            {
                break;
            }

            if (!TryParseHeader(head, position, length))
            {
                return false;
            }

            position += length + 2;
        }

        // RFC 9112 §6.3: both framings at once is a smuggling attempt or a broken client; HTTP/1.1 requires Host.
        if ((head.Chunked && head.ContentLength >= 0) || head.Host.Equals(default(Range)))
        {
            return false;
        }

        return DropNamedInConnection(head);
    }

    private static bool TryParseRequestLine(RequestHead head, ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        if (space is <= 0 or > MaxMethodLength)
        {
            return false;
        }

        foreach (var b in line[..space])
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        var rest = line[(space + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');

        // Origin form only ("/path?query"): absolute, authority and asterisk forms go to Kestrel.
        if (secondSpace <= 0 || rest[0] != (byte)'/' || !rest[(secondSpace + 1)..].SequenceEqual("HTTP/1.1"u8))
        {
            return false;
        }

        foreach (var b in rest[..secondSpace])
        {
            if (b is <= 0x20 or >= 0x7F)
            {
                return false;
            }
        }

        head.MethodLength = space;
        head.Target = new Range(space + 1, space + 1 + secondSpace);
        return true;
    }

    private static bool TryParseHeader(RequestHead head, int start, int length)
    {
        var line = head.Bytes.AsSpan(start, length);
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !HttpSyntax.IsToken(line[..colon]))
        {
            return false;
        }

        var rawValue = line[(colon + 1)..];
        if (!HttpSyntax.IsFieldValue(rawValue))
        {
            return false;
        }

        var value = HttpSyntax.TrimOws(rawValue);
        var valueStart = start + colon + 1 + (rawValue.Length - rawValue.TrimStart(" \t"u8).Length);
        var valueRange = new Range(valueStart, valueStart + value.Length);
        var name = line[..colon];
        var entry = new HeaderLine { Start = start, Length = length, NameLength = colon };
        switch (name.Length)
        {
            case 4 when HttpSyntax.NameIs(name, "host"u8):
                if (!head.Host.Equals(default(Range)) || value.IsEmpty)
                {
                    return false;
                }

                // The instance gets its own address as Host, as it did through YARP.
                head.Host = valueRange;
                entry.Drop = true;
                break;
            case 15 when HttpSyntax.NameIs(name, "x-found-cluster"u8):
                if (!head.AddClusterHeader(valueRange))
                {
                    return false;
                }

                break;
            case 14 when HttpSyntax.NameIs(name, "content-length"u8):
                if (head.ContentLength >= 0 || (head.ContentLength = HttpSyntax.ParseLength(value)) < 0)
                {
                    return false;
                }

                break;
            case 17 when HttpSyntax.NameIs(name, "transfer-encoding"u8):
                // Only plain "chunked", relayed as it is: other codings are Kestrel's to refuse or decode.
                if (head.Chunked || !HttpSyntax.NameIs(value, "chunked"u8))
                {
                    return false;
                }

                head.Chunked = true;
                break;
            case 10 when HttpSyntax.NameIs(name, "connection"u8):
                if (!TryReadConnection(head, value, valueStart))
                {
                    return false;
                }

                entry.Drop = true;
                break;
            case 15 when HttpSyntax.NameIs(name, "x-forwarded-for"u8):
                if (!head.ForwardedFor.Equals(default(Range)))
                {
                    // Several lines are rare; the resolver joins them on the ordinary path.
                    return false;
                }

                head.ForwardedFor = valueRange;
                break;
            case 6 when HttpSyntax.NameIs(name, "expect"u8):
            case 7 when HttpSyntax.NameIs(name, "upgrade"u8):
            case 14 when HttpSyntax.NameIs(name, "http2-settings"u8):
                return false;
            default:
                entry.Drop = HttpSyntax.IsHopByHop(name);
                break;
        }

        head.AddLine(entry);
        return true;
    }

    private static bool TryReadConnection(RequestHead head, ReadOnlySpan<byte> value, int valueStart)
    {
        var position = 0;
        while (position < value.Length)
        {
            var comma = value[position..].IndexOf((byte)',');
            var end = comma < 0 ? value.Length : position + comma;
            var raw = value[position..end];
            var token = HttpSyntax.TrimOws(raw);
            var tokenStart = valueStart + position + (raw.Length - raw.TrimStart(" \t"u8).Length);
            position = end + 1;
            if (token.IsEmpty || HttpSyntax.NameIs(token, "keep-alive"u8))
            {
                continue;
            }

            if (HttpSyntax.NameIs(token, "close"u8))
            {
                head.Close = true;
            }
            else if (HttpSyntax.NameIs(token, "upgrade"u8) || !head.AddNamedInConnection(new Range(tokenStart, tokenStart + token.Length)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Headers a client names in <c>Connection</c> are hop-by-hop too (RFC 9110 §7.6.1).</summary>
    private static bool DropNamedInConnection(RequestHead head)
    {
        for (var n = 0; n < head.NamedInConnectionCount; n++)
        {
            var named = head.NamedInConnection(n);

            // Naming a framing or routing header this way is not something a real client does.
            if (HttpSyntax.NameIs(named, "host"u8) || HttpSyntax.NameIs(named, "content-length"u8) || HttpSyntax.NameIs(named, "transfer-encoding"u8))
            {
                return false;
            }

            for (var i = 0; i < head.LineCount; i++)
            {
                ref var line = ref head.Lines[i];
                var name = head.Bytes.AsSpan(line.Start, line.NameLength);
                if (name.Length == named.Length && Ascii.EqualsIgnoreCase(name, named))
                {
                    line.Drop = true;
                }
            }
        }

        return true;
    }
}
