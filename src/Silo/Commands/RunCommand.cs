using System.CommandLine;
using System.Text.Json;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Silo.Configuration;
using Steep.Silo.Hosting;
using Steep.Core.Validation;

namespace Steep.Silo.Commands;

/// <summary><c>steep run</c>, <c>steep resume</c> and <c>steep status</c>: embedded execution on this machine.</summary>
internal static class RunCommand
{
    public static Command CreateRun()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (YAML or JSON)" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files (default: conf/services/*)", AllowMultipleArgumentsPerToken = true };
        var data = new Option<string?>("--data") { Description = "Data directory (default: steep.dataDir, .steep)" };
        var agents = new Option<int?>("--agents") { Description = "Number of local agents (default: one per core)" };
        var macros = CliFiles.MacrosOption();
        var cmd = new Command("run", "Run a workflow to completion on this machine; exit code 0 on SUCCESS") { workflow, services, data, agents, macros };
        cmd.SetAction((pr, ct) => CommandErrors.RunAsync(async () =>
        {
            var settings = EmbeddedOnly(HostSettings.From(LoadConfig(), pr.GetValue(data), pr.GetValue(services), pr.GetValue(agents)), "run",
                "submit the workflow to any silo of the cluster instead (POST /workflows of a `steep serve`)");
            var wf = CliFiles.ReadWorkflow(pr.GetValue(workflow)!);
            var known = CliFiles.ReadMacros(pr.GetValue(macros));
            settings = await PluginStartup.LoadAsync(settings, ct);
            await using var host = await SteepHost.StartAsync(settings, ct);
            Submission submission;
            try
            {
                submission = await host.SubmitAsync(WorkflowValidator.ExpandValid(wf, known), ct);
                StartupTrace.Mark("submitted");
            }
            catch (WorkflowRejectedException e)
            {
                foreach (var p in e.Problems) Console.Error.WriteLine($"{pr.GetValue(workflow)}: {p}");
                return 1;
            }
            Console.Error.WriteLine($"submission {submission.Id} accepted; data directory {settings.DataDirectory}, {settings.AgentCount} agents");
            var finished = await WaitAndReport(host, [submission.Id], ct);
            return finished.All(s => s.Status == SubmissionStatus.Success) ? 0 : 1;
        }));
        return cmd;
    }

    public static Command CreateResume()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (default: steep.dataDir, .steep)" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files (default: conf/services/*)", AllowMultipleArgumentsPerToken = true };
        var agents = new Option<int?>("--agents") { Description = "Number of local agents (default: one per core)" };
        var cmd = new Command("resume", "Resume every unfinished submission of a data directory and wait for them") { data, services, agents };
        cmd.SetAction((pr, ct) => CommandErrors.RunAsync(async () =>
        {
            var settings = EmbeddedOnly(HostSettings.From(LoadConfig(), pr.GetValue(data), pr.GetValue(services), pr.GetValue(agents)), "resume",
                "the cluster's silos resume unfinished submissions themselves: start a `steep serve`");
            settings = await PluginStartup.LoadAsync(settings, ct);
            await using var host = await SteepHost.StartAsync(settings, ct);
            var ids = await host.ResumeAllAsync(ct);
            if (ids.Count == 0)
            {
                Console.Error.WriteLine($"nothing to resume in {settings.DataDirectory}");
                return 0;
            }
            Console.Error.WriteLine($"resuming {ids.Count} submission(s): {string.Join(", ", ids)}");
            var finished = await WaitAndReport(host, ids, ct);
            return finished.All(s => s.Status == SubmissionStatus.Success) ? 0 : 1;
        }));
        return cmd;
    }

    public static Command CreateStatus()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (default: steep.dataDir, .steep)" };
        var cmd = new Command("status", "List the submissions of a data directory with their status and chain counts") { data };
        cmd.SetAction((pr, ct) => CommandErrors.RunAsync(async () =>
        {
            var settings = HostSettings.From(LoadConfig(), pr.GetValue(data), [], 1);
            var db = Path.Combine(settings.DataDirectory, "steep.db");
            if (!File.Exists(db))
            {
                Console.Error.WriteLine($"no submissions: {db} does not exist");
                return 0;
            }
            var holder = DataDirectoryLock.HolderIfLocked(settings.DataDirectory);
            await using var store = new Steep.Persistence.Sqlite.SqliteStore(db);
            Console.WriteLine($"{"ID",-22} {"STATUS",-16} {"DONE",6} {"RUNNING",8} {"FAILED",7} {"TOTAL",7} {"PRIO",5}  START");
            int unfinished = 0;
            for (int offset = 0; ; offset += 100)
            {
                var page = await store.ListAsync(offset, 100, null, ct);
                foreach (var s in page.Items)
                {
                    Console.WriteLine($"{s.Id,-22} {s.Status,-16} {s.SucceededProcessChains,6} {s.RunningProcessChains,8} {s.FailedProcessChains,7} {s.TotalProcessChains,7} {s.Priority,5}  {s.StartTime:u}");
                    if (!SubmissionStatus.IsFinal(s.Status)) unfinished++;
                }
                if (offset + page.Items.Count >= page.Total || page.Items.Count == 0) break;
            }
            // RUNNING in the store means "was running when last written": say whether anything is running now
            if (holder is not null)
                Console.Error.WriteLine(holder > 0 ? $"in use by steep process {holder}" : "in use by another steep process");
            else if (unfinished > 0)
                Console.Error.WriteLine($"no steep process works on this data directory: `steep resume --data {settings.DataDirectory}` " +
                    $"continues the {unfinished} unfinished submission(s)");
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// run and resume are one process with its own SQLite registry: in cluster mode they would work on the cluster's
    /// registry beside its silos without being one, so they refuse.
    /// </summary>
    private static HostSettings EmbeddedOnly(HostSettings settings, string command, string instead) =>
        // one process is every component: the switches are for the instances of a cluster
        settings.Cluster is null ? settings with { Components = Components.All } : throw new ModelFormatException(
            $"`steep {command}` runs on this machine alone and does not join a cluster, but steep.cluster.postgres " +
            $"(or STEEP_CLUSTER_POSTGRES) is set: {instead}, or unset it to {command} embedded");

    private static SteepConfiguration LoadConfig() =>
        SteepConfiguration.Load(Environment.GetEnvironmentVariable("STEEP_HOME") ?? Directory.GetCurrentDirectory());

    private static async Task<IReadOnlyList<Submission>> WaitAndReport(SteepHost host, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var progress = new ProgressReporter(Console.Error, !Console.IsErrorRedirected);
        var finished = await host.WaitForAsync(ids, progress.Update, ct);
        progress.Finish();
        foreach (var s in finished)
        {
            Console.Error.WriteLine($"submission {s.Id}: {s.Status} ({s.SucceededProcessChains} succeeded, {s.FailedProcessChains} failed, {s.CancelledProcessChains} cancelled, {s.TotalProcessChains} total)");
            if (s.ErrorMessage is not null) Console.Error.WriteLine($"error: {s.ErrorMessage}");
            Console.WriteLine(JsonSerializer.Serialize(s with { Workflow = null }, SteepJson.Indented));
        }
        return finished;
    }
}
