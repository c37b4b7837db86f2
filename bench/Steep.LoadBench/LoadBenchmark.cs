using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Steep.Client;
using Steep.Client.Events;
using Steep.Client.Models;

namespace Steep.LoadBench;

/// <summary>
/// The load benchmark: <c>--clients</c> concurrent clients submit <c>--workflows</c> one-chain workflows
/// (<c>sleep 0</c>) in total; after each submission a client also lists submissions (<c>GET /workflows</c>) and gets
/// one it knows (<c>GET /workflows/{id}</c>). One event stream records when each submission ends.
/// </summary>
internal static class LoadBenchmark
{
    private const string Workflow = """
        api: 4.0.0
        vars:
          - id: sleep_seconds
            value: 0
        actions:
          - type: execute
            service: sleep
            parameters:
              - id: seconds
                var: sleep_seconds
        """;

    public static async Task<int> RunAsync(BenchOptions options, string[] args)
    {
        var root = FindRoot();
        using var timeout = new CancellationTokenSource(options.Timeout);
        var ct = timeout.Token;

        SteepProcess? server = null;
        try
        {
            Uri url;
            string serverCommand;
            if (options.Url is { } given)
            {
                url = given;
                serverCommand = $"running server at {given}";
            }
            else
            {
                Console.Error.WriteLine("starting ./steep serve …");
                server = await SteepProcess.StartAsync(root, options.Agents, ct);
                url = server.Url;
                serverCommand = server.CommandLine;
            }
            return await MeasureAsync(options, args, root, url, serverCommand, ct);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Console.Error.WriteLine($"loadbench: gave up after {options.Timeout.TotalSeconds} s");
            if (server is not null) Console.Error.WriteLine(Tail(server.Output));
            return 1;
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
        }
    }

    private static async Task<int> MeasureAsync(BenchOptions o, string[] args, string root, Uri url, string serverCommand, CancellationToken ct)
    {
        var loadBefore = Machine.LoadAverage();
        using var admin = new SteepClient(url, o.Token);
        var version = await admin.GetVersionAsync(ct);
        var agents = await admin.ListAgentsAsync(ct);
        if (await admin.GetServiceAsync("sleep", ct) is null)
            throw new ArgumentException("the server has no 'sleep' service (conf/services/sleep.yaml)");

        // one event stream records when each submission ends
        var clock = new Stopwatch();
        var finished = new ConcurrentDictionary<string, (string Status, TimeSpan At)>();
        using var stopEvents = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var events = Task.Run(async () =>
        {
            await foreach (var e in admin.WatchEventsAsync(stopEvents.Token))
                if (e is SubmissionEvent { IsFinal: true } s) finished.TryAdd(s.SubmissionId, (s.Status, clock.Elapsed));
        }, CancellationToken.None);
        await Task.Delay(300, ct); // let the stream open before the first submission

        var post = new LatencyRecorder("POST /workflows");
        var list = new LatencyRecorder("GET /workflows");
        var get = new LatencyRecorder("GET /workflows/{id}");
        var ids = new string?[o.Workflows];
        int next = -1, known = 0;

        Console.Error.WriteLine($"{o.Clients} clients submit {o.Workflows} workflows to {url} ({agents.Count} agents) …");
        clock.Start();
        var clients = Enumerable.Range(0, o.Clients).Select(c => Task.Run(async () =>
        {
            using var client = new SteepClient(url, o.Token);
            var random = new Random(c);
            while (true)
            {
                int i = Interlocked.Increment(ref next);
                if (i >= o.Workflows) return;
                await TimeAsync(post, async () =>
                {
                    ids[i] = (await client.SubmitWorkflowAsync(Workflow, ct)).Id;
                    Interlocked.Increment(ref known);
                });
                await TimeAsync(list, () => client.ListSubmissionsAsync(size: o.ListSize, cancellationToken: ct));
                var someId = ids[random.Next(Math.Max(1, Volatile.Read(ref known)))] ?? ids[i];
                if (someId is not null) await TimeAsync(get, () => client.GetSubmissionAsync(someId, ct));
            }
        }, ct)).ToArray();
        await Task.WhenAll(clients);
        var loadPhase = clock.Elapsed;

        // wait for the ends; ask the server directly for any the event stream did not report
        var submitted = ids.Where(id => id is not null).Cast<string>().ToArray();
        for (int round = 1; ; round++)
        {
            var missing = submitted.Where(id => !finished.ContainsKey(id)).ToArray();
            if (missing.Length == 0) break;
            if (round % 10 == 0)
            {
                await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
                {
                    if (await admin.GetSubmissionAsync(id, token) is { IsFinal: true } s) finished.TryAdd(id, (s.Status, clock.Elapsed));
                });
            }
            await Task.Delay(100, ct);
        }
        var allFinished = submitted.Length == 0 ? TimeSpan.Zero : submitted.Max(id => finished[id].At);
        await stopEvents.CancelAsync();
        await events;

        // verify every submission on the server, not only by its event
        var verified = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(submitted, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
            verified[id] = (await admin.GetSubmissionAsync(id, token))?.Status ?? "MISSING");
        int successes = verified.Values.Count(s => s == SubmissionStatus.Success);

        var result = new BenchResult(
            Command: "dotnet run -c Release --project bench/Steep.LoadBench --" + (args.Length == 0 ? "" : " " + string.Join(' ', args)),
            ServerCommand: serverCommand,
            Machine: Machine.Describe(),
            LoadBefore: loadBefore,
            ServerVersion: $"{version.Version} ({version.Commit})",
            Agents: agents.Count,
            Workflows: o.Workflows,
            Clients: o.Clients,
            ListSize: o.ListSize,
            LoadPhase: loadPhase,
            AllFinished: allFinished,
            Latencies: [post.Summarize(), list.Summarize(), get.Summarize()],
            Submitted: submitted.Length,
            Succeeded: successes,
            OtherStatuses: verified.Values.Where(s => s != SubmissionStatus.Success).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()));

        var table = result.ToMarkdown();
        Console.WriteLine(table);
        if (o.Write)
        {
            var file = o.ResultsFile ?? Path.Combine(root, "bench", "LOAD-RESULTS.md");
            result.AppendTo(file);
            Console.Error.WriteLine($"appended to {file}");
        }
        bool ok = result.Succeeded == o.Workflows && result.Latencies.All(l => l.Errors == 0);
        Console.WriteLine(ok
            ? $"OK: all {o.Workflows} submissions finished with SUCCESS"
            : $"FAILED: {result.Succeeded} of {o.Workflows} submissions finished with SUCCESS; request errors: {result.Latencies.Sum(l => l.Errors)}");
        return ok ? 0 : 1;
    }

    private static async Task TimeAsync(LatencyRecorder recorder, Func<Task> request)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            await request();
            recorder.Add(sw.Elapsed);
        }
        catch (Exception e) when (e is SteepApiException or HttpRequestException)
        {
            recorder.Fail();
            Console.Error.WriteLine($"{recorder.Name}: {e.Message}");
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Steep.Orleans.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root (Steep.Orleans.sln) not found");
    }
}
