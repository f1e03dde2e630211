using System.Text;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Parses an instance's response head (RFC 9112): status, framing, keep-alive, and which lines are hop-by-hop.
/// False means the instance sent something this proxy will not relay (the request then fails with 502, as YARP's
/// would on a response it cannot read).
/// </summary>
internal static class ResponseHeadParser
{
    public static bool TryParse(ResponseHead head)
    {
        head.Reset();
        var bytes = head.Bytes.AsSpan(0, head.Length);
        var lineEnd = bytes.IndexOf(HttpSyntax.Crlf);
        if (lineEnd < 0 || !TryParseStatusLine(head, bytes[..lineEnd]))
        {
            return false;
        }

        var position = lineEnd + 2;
        var named = new NamedTokens();
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

            if (!TryParseHeader(head, position, length, ref named))
            {
                return false;
            }

            position += length + 2;
        }

        if (head.Chunked)
        {
            // RFC 9112 §6.3: chunked wins over a Content-Length, which must not be relayed beside it.
            head.ContentLength = -1;
            DropLines(head, "content-length"u8);
        }

        if (named.Set)
        {
            ReadOnlySpan<byte> rest = head.Bytes.AsSpan(named.Value);
            while (HttpSyntax.NextToken(ref rest) is { IsEmpty: false } token)
            {
                DropLines(head, token);
            }
        }

        return true;
    }

    private static bool TryParseStatusLine(ResponseHead head, ReadOnlySpan<byte> line)
    {
        // "HTTP/1.1 200 OK"; the reason phrase may be empty or missing.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ' || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        var code = 0;
        foreach (var b in line[9..12])
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            code = (code * 10) + (b - '0');
        }

        head.StatusCode = code;
        head.Status = new Range(9, line.Length);

        // An HTTP/1.0 instance closes after each response unless it says otherwise; never worth keeping.
        head.Close = line[7] != (byte)'1';
        return code >= 100 && HttpSyntax.IsFieldValue(line);
    }

    private static bool TryParseHeader(ResponseHead head, int start, int length, ref NamedTokens named)
    {
        var line = head.Bytes.AsSpan(start, length);
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !HttpSyntax.IsToken(line[..colon]) || !HttpSyntax.IsFieldValue(line[(colon + 1)..]))
        {
            return false;
        }

        var name = line[..colon];
        var value = HttpSyntax.TrimOws(line[(colon + 1)..]);
        var entry = new HeaderLine { Start = start, Length = length, NameLength = colon };
        switch (name.Length)
        {
            case 14 when HttpSyntax.NameIs(name, "content-length"u8):
                var parsed = HttpSyntax.ParseLength(value);
                if (parsed < 0 || (head.ContentLength >= 0 && head.ContentLength != parsed))
                {
                    return false;
                }

                head.ContentLength = parsed;
                break;
            case 17 when HttpSyntax.NameIs(name, "transfer-encoding"u8):
                // Relayed as it is with the chunked framing kept; any other last coding means "until close".
                head.Chunked = value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
                head.Close |= !head.Chunked;
                break;
            case 10 when HttpSyntax.NameIs(name, "connection"u8):
                var namesOthers = false;
                var rest = value;
                while (HttpSyntax.NextToken(ref rest) is { IsEmpty: false } token)
                {
                    if (HttpSyntax.NameIs(token, "close"u8))
                    {
                        head.Close = true;
                    }
                    else if (!HttpSyntax.NameIs(token, "keep-alive"u8))
                    {
                        namesOthers = true;
                    }
                }

                if (namesOthers)
                {
                    if (named.Set)
                    {
                        // A second Connection line naming headers: rare enough to refuse rather than track.
                        return false;
                    }

                    var valueStart = start + colon + 1 + (line.Length - colon - 1 - line[(colon + 1)..].TrimStart(" \t"u8).Length);
                    named.Value = new Range(valueStart, valueStart + value.Length);
                    named.Set = true;
                }

                entry.Drop = true;
                break;
            default:
                entry.Drop = HttpSyntax.IsHopByHop(name)
                    || HttpSyntax.NameIs(name, "x-found-handling-cluster"u8)
                    || HttpSyntax.NameIs(name, "x-found-handling-instance"u8);
                break;
        }

        head.AddLine(entry);
        return true;
    }

    private static void DropLines(ResponseHead head, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < head.LineCount; i++)
        {
            ref var line = ref head.Lines[i];
            var lineName = head.Bytes.AsSpan(line.Start, line.NameLength);
            if (lineName.Length == name.Length && Ascii.EqualsIgnoreCase(lineName, name))
            {
                line.Drop = true;
            }
        }
    }

    /// <summary>Where the <c>Connection</c> value naming other headers is, if any.</summary>
    private struct NamedTokens
    {
        public bool Set;
        public Range Value;
    }
}
