using System.Buffers;

namespace Cloud.Proxy.FastPath;

/// <summary>Finds the end of a message head (the empty line) at the start of a pipe's buffer.</summary>
internal static class HeadFinder
{
    /// <summary>The head's length, final CRLF CRLF included, when it ends within the first <paramref name="limit"/> bytes; else -1.</summary>
    public static int Find(in ReadOnlySequence<byte> buffer, int limit)
    {
        var first = buffer.FirstSpan;
        var end = first[..Math.Min(first.Length, limit)].IndexOf(HttpSyntax.HeadEnd);
        if (end >= 0)
        {
            return end + HttpSyntax.HeadEnd.Length;
        }

        if (buffer.IsSingleSegment)
        {
            return -1;
        }

        var reader = new SequenceReader<byte>(buffer.Length > limit ? buffer.Slice(0, limit) : buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, HttpSyntax.HeadEnd, advancePastDelimiter: true) ? (int)reader.Consumed : -1;
    }
}
