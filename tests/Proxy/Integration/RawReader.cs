using System.Globalization;
using System.Text;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>Reads HTTP/1.1 heads and bodies off a stream byte by byte-buffer, for the tests' raw clients and backends.</summary>
internal sealed class RawReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next head (without its final empty line), or null when the stream ended cleanly before one.</summary>
    public async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return head.Length == 0 ? null : throw new IOException("stream ended inside a head");
            }

            if (line.Length == 0)
            {
                return head.ToString();
            }

            head.Append(line).Append("\r\n");
        }
    }

    /// <summary>A whole response: its head and its body (Content-Length, chunked decoded, or none).</summary>
    public async Task<(string Head, string Body)> ReadResponseAsync(CancellationToken cancellationToken, bool headRequest = false)
    {
        var head = await ReadHeadAsync(cancellationToken) ?? throw new IOException("connection closed before a response");
        if (headRequest)
        {
            return (head, string.Empty);
        }

        if (Header(head, "Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new StringBuilder();
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken) ?? throw new IOException("ended in chunk size");
                var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while ((await ReadLineAsync(cancellationToken) ?? throw new IOException("ended in trailers")).Length > 0)
                    {
                    }

                    return (head, body.ToString());
                }

                body.Append(Encoding.UTF8.GetString(await ReadBytesAsync(size, cancellationToken)));
                await ReadLineAsync(cancellationToken);
            }
        }

        var length = ContentLength(head);
        return (head, length > 0 ? Encoding.UTF8.GetString(await ReadBytesAsync(length, cancellationToken)) : string.Empty);
    }

    public async Task<byte[]> ReadBytesAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new IOException("stream ended inside a body");
            }

            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    /// <summary>True when the other side closed (no more bytes), waiting at most <paramref name="timeout"/>.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return _start == _end && !await FillAsync(cts.Token);
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static string? Header(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    public static int ContentLength(string head) =>
        Header(head, "Content-Length") is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : 0;

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return line.Length == 0 ? null : line.ToString();
            }

            var b = _buffer[_start++];
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
