namespace Cloud.Cli.Output;

/// <summary><c>[#####-----]  5/10</c>: finished steps out of all steps.</summary>
public static class ProgressBar
{
    public static string Render(int done, int total, int width = 20)
    {
        total = Math.Max(total, 1);
        done = Math.Clamp(done, 0, total);
        var filled = (int)Math.Round((double)done * width / total, MidpointRounding.AwayFromZero);
        return "[" + new string('#', filled) + new string('-', width - filled) + "] " + $"{done}/{total}".PadLeft(5);
    }
}
