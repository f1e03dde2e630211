namespace Cloud.ZooKeeper;

/// <summary>Client-side path checks with ZooKeeper's rules, so a bad path fails with a clear error instead of a server round trip.</summary>
internal static class PathValidator
{
    /// <param name="isSequential">
    /// The server appends a counter to a sequential path, so (like the Java client) what must be valid is
    /// the path with a digit appended: "/p/" and "/p/." are fine, "/p//" is not.
    /// </param>
    public static void Validate(string? path, bool isSequential = false)
    {
        if (path is null)
        {
            throw new InvalidPathException(path, "the path is null");
        }

        if (isSequential)
        {
            Check(path + "1", path);
            return;
        }

        Check(path, path);
    }

    private static void Check(string path, string reported)
    {
        if (path.Length == 0)
        {
            throw new InvalidPathException(reported, "the path is empty");
        }

        if (path[0] != '/')
        {
            throw new InvalidPathException(reported, "the path must start with '/'");
        }

        if (path.Length == 1)
        {
            return;
        }

        if (path[^1] == '/')
        {
            throw new InvalidPathException(reported, "the path must not end with '/'");
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length)
            {
                var c = path[i];
                if (c == '\0')
                {
                    throw new InvalidPathException(reported, $"null character at index {i}");
                }

                if (c is (> '\u0000' and <= '\u001f') or (>= '\u007f' and <= '\u009f') or (>= '\ud800' and <= '\uf8ff') or (>= '\ufff0' and <= '\uffff'))
                {
                    throw new InvalidPathException(reported, $"invalid character U+{(int)c:X4} at index {i}");
                }

                if (c != '/')
                {
                    continue;
                }
            }

            var segment = path.AsSpan(segmentStart, i - segmentStart);
            if (segment.Length == 0)
            {
                throw new InvalidPathException(reported, $"empty node name at index {i}");
            }

            if (segment is "." or "..")
            {
                throw new InvalidPathException(reported, $"relative path segment '{segment}' at index {segmentStart}");
            }

            segmentStart = i + 1;
        }
    }
}
