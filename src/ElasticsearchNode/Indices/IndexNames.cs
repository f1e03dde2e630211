using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>Elasticsearch's rules for index names.</summary>
internal static class IndexNames
{
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create("\\/*?\"<>| ,#:");

    public static void Validate(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ElasticsearchException.InvalidIndexName(name, "must not be empty");
        }

        if (name.IndexOfAny(Forbidden) >= 0)
        {
            throw ElasticsearchException.InvalidIndexName(name, "must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?]");
        }

        if (!name.Equals(name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw ElasticsearchException.InvalidIndexName(name, "must be lowercase");
        }

        if (name[0] is '_' or '-' or '+')
        {
            throw ElasticsearchException.InvalidIndexName(name, "must not start with '_', '-', or '+'");
        }

        if (name is "." or ".." || System.Text.Encoding.UTF8.GetByteCount(name) > 255)
        {
            throw ElasticsearchException.InvalidIndexName(name, "must not be '.' or '..' or longer than 255 bytes");
        }
    }
}
