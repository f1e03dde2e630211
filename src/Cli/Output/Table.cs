using System.Text;

namespace Cloud.Cli.Output;

/// <summary>A plain text table: a header row, then rows, columns padded to their widest cell.</summary>
public static class Table
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var all = new List<IReadOnlyList<string?>> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => (i < r.Count ? r[i] ?? "-" : "-").Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var cells = widths.Select((w, i) => (i < row.Count ? row[i] ?? "-" : "-").PadRight(w));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
