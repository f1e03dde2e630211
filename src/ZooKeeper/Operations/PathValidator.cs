namespace Cloud.ZooKeeper;

/// <summary>Client-side path checks with ZooKeeper's rules, so a bad path fails with a clear error instead of a server round trip.</summary>
internal static class PathValidator
{
    public static void Validate(string? path, bool isSequential = false)
    {
        if (path is null)
        {
            throw new InvalidPathException(path, "the path is null");
        }

        if (path.Length == 0)
        {
            throw new InvalidPathException(path, "the path is empty");
        }

        if (path[0] != '/')
        {
            throw new InvalidPathException(path, "the path must start with '/'");
        }

        if (path.Length == 1)
        {
            return;
        }

        if (path[^1] == '/' && !isSequential)
        {
            throw new InvalidPathException(path, "the path must not end with '/'");
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length)
            {
                var c = path[i];
                if (c == '\0')
                {
                    throw new InvalidPathException(path, $"null character at index {i}");
                }

                if (c is (> '\u0000' and <= '\u001f') or (>= '\u007f' and <= '\u009f') or (>= '\ud800' and <= '\uf8ff') or (>= '\ufff0' and <= '\uffff'))
                {
                    throw new InvalidPathException(path, $"invalid character U+{(int)c:X4} at index {i}");
                }

                if (c != '/')
                {
                    continue;
                }
            }

            var segment = path.AsSpan(segmentStart, i - segmentStart);
            if (segment.Length == 0 && !(isSequential && i == path.Length))
            {
                throw new InvalidPathException(path, $"empty node name at index {i}");
            }

            if (segment is "." or "..")
            {
                throw new InvalidPathException(path, $"relative path segment '{segment}' at index {segmentStart}");
            }

            segmentStart = i + 1;
        }
    }
}
