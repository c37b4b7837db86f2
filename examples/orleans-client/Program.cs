// A .NET service that talks to `steep serve` through Orleans instead of HTTP: it connects to the silo's gateway port,
// submits a workflow, follows its status changes through an observer, lists its process chains and (optionally)
// cancels it. Every step prints one JSON line on stdout.
//
//   dotnet run --project examples/orleans-client -- WORKFLOW.yaml [--gateway 30000] [--cancel-after SECONDS]
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Steep.Contracts;
using Steep.OrleansClientSample;

string? workflowFile = null;
int gatewayPort = 30000;
double? cancelAfter = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--gateway": gatewayPort = int.Parse(args[++i]); break;
        case "--cancel-after": cancelAfter = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        default: workflowFile = args[i]; break;
    }
}
if (workflowFile is null)
{
    Console.Error.WriteLine("usage: steep-orleans-client WORKFLOW [--gateway PORT] [--cancel-after SECONDS]");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleansClient(client => client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort))
    .Configure<Orleans.Configuration.ClusterOptions>(o => { o.ServiceId = "steep"; o.ClusterId = "steep"; }));
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IClusterClient>();
void Print(object line) => Console.WriteLine(JsonSerializer.Serialize(line));

// submit: the silo validates the workflow with its service metadata; a rejected one comes back with every problem
var result = await grains.GetGrain<ISteepGatewayGrain>(0).SubmitAsync(await File.ReadAllTextAsync(workflowFile));
if (!result.Accepted)
{
    Print(new { @event = "rejected", problems = result.Problems });
    return 1;
}
var id = result.SubmissionId!;
Print(new { @event = "submitted", submissionId = id });

// observe: the observer object lives in this process; the silo calls it on every change
var submission = grains.GetGrain<ISubmissionGrain>(id);
var printer = new StatusPrinter();
var observer = grains.CreateObjectReference<ISubmissionObserver>(printer);
await submission.SubscribeAsync(observer);

using var renew = new PeriodicTimer(ISubmissionGrain.SubscriptionLifetime / 3);
_ = Task.Run(async () => { while (await renew.WaitForNextTickAsync()) await submission.SubscribeAsync(observer); });
if (cancelAfter is { } seconds)
{
    _ = Task.Run(async () =>
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await submission.CancelAsync();
        Print(new { @event = "cancelled", submissionId = id });
    });
}

// wait for the end: a change says so, and a poll every few seconds catches one that came before the subscription
SubmissionSnapshot? status = null;
while (status is not { IsFinished: true })
{
    using var poll = new CancellationTokenSource(TimeSpan.FromSeconds(3));
    try { await printer.Changes.ReadAsync(poll.Token); } catch (OperationCanceledException) { }
    status = await submission.GetStatusAsync();
}
await submission.UnsubscribeAsync(observer);
Print(new { @event = "finished", status });

var chains = await grains.GetGrain<ISteepGatewayGrain>(0).GetProcessChainsAsync(id, 0, 1000);
Print(new { @event = "chains", chains });
await host.StopAsync();
return status.Status == "SUCCESS" ? 0 : 1;
