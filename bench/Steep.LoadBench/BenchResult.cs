using System.Globalization;
using System.Text;

namespace Steep.LoadBench;

/// <summary>The figures of one run, as a Markdown table.</summary>
internal sealed record BenchResult(
    string Command,
    string ServerCommand,
    string Machine,
    string LoadBefore,
    string ServerVersion,
    int Agents,
    int Workflows,
    int Clients,
    int ListSize,
    TimeSpan LoadPhase,
    TimeSpan AllFinished,
    IReadOnlyList<LatencySummary> Latencies,
    int Submitted,
    int Succeeded,
    IReadOnlyDictionary<string, int> OtherStatuses)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        int requests = Latencies.Sum(l => l.Count + l.Errors);
        sb.AppendLine(Invariant, $"| request | count | errors | p50 ms | p99 ms | max ms | mean ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var l in Latencies)
            sb.AppendLine(Invariant, $"| `{l.Name}` | {l.Count} | {l.Errors} | {l.P50:F1} | {l.P99:F1} | {l.Max:F1} | {l.Mean:F1} |");
        sb.AppendLine();
        sb.AppendLine("| figure | value |");
        sb.AppendLine("|---|---:|");
        sb.AppendLine(Invariant, $"| workflows × clients | {Workflows} × {Clients} (list page size {ListSize}) |");
        sb.AppendLine(Invariant, $"| agents | {Agents} |");
        sb.AppendLine(Invariant, $"| load phase (all requests answered) | {LoadPhase.TotalSeconds:F2} s |");
        sb.AppendLine(Invariant, $"| requests/s (all three kinds) | {requests / LoadPhase.TotalSeconds:F0} |");
        sb.AppendLine(Invariant, $"| submissions/s (POST) | {Submitted / LoadPhase.TotalSeconds:F0} |");
        sb.AppendLine(Invariant, $"| all submissions finished after | {AllFinished.TotalSeconds:F2} s |");
        sb.AppendLine(Invariant, $"| finished with SUCCESS | {Succeeded} of {Workflows} |");
        if (OtherStatuses.Count > 0)
            sb.AppendLine(Invariant, $"| other statuses | {string.Join(", ", OtherStatuses.Select(kv => $"{kv.Key}: {kv.Value}"))} |");
        return sb.ToString();
    }

    public void AppendTo(string path)
    {
        var sb = new StringBuilder();
        if (!File.Exists(path))
        {
            sb.AppendLine("# Load benchmark of the REST gateway (issue 4)");
            sb.AppendLine();
            sb.AppendLine("`bench/Steep.LoadBench` starts `./steep serve` on a free port with a temporary data directory (or uses `--url`),");
            sb.AppendLine("then `--clients` concurrent clients, each with its own connection pool, submit `--workflows` one-chain workflows");
            sb.AppendLine("(`sleep 0`) in total through `Steep.Client`. After each submission a client also lists submissions");
            sb.AppendLine("(`GET /workflows`, one page) and gets one submission it knows (`GET /workflows/{id}`). One `GET /events` stream");
            sb.AppendLine("records when each submission ends; at the end every submission is fetched and must be `SUCCESS`.");
            sb.AppendLine("Latencies are measured in the client (nearest-rank percentiles); each run is appended below.");
            sb.AppendLine();
        }
        sb.AppendLine(Invariant, $"## {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC — {Workflows} workflows, {Clients} clients");
        sb.AppendLine();
        sb.AppendLine(Invariant, $"- command: `{Command}`");
        sb.AppendLine(Invariant, $"- server: `{ServerCommand}` (version {ServerVersion})");
        sb.AppendLine(Invariant, $"- machine: {Machine}");
        sb.AppendLine(Invariant, $"- load average before the run (1/5/15 min): {LoadBefore}; client, server and agents share the machine");
        sb.AppendLine();
        sb.Append(ToMarkdown());
        sb.AppendLine();
        File.AppendAllText(path, sb.ToString());
    }
}
