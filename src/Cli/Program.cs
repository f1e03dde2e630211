using Cloud.Cli;
using Cloud.Cli.Configuration;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl-C stops watching; a plan already accepted keeps running on the constructor.
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    return await new CliApplication(CliEnvironment.FromProcess()).RunAsync(args, Console.Out, Console.Error, cancellation.Token);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    return 130;
}
