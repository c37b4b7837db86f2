using Steep.Core.Models;

namespace Steep.Api.Metrics;

/// <summary>Counts read from an instance's stores and agents for one scrape.</summary>
internal sealed record InstanceSnapshot(
    IReadOnlyDictionary<string, int> ChainsByStatus,
    IReadOnlyDictionary<string, int> SubmissionsByStatus,
    long ControllerChains,
    int Agents)
{
    public static readonly InstanceSnapshot Empty = new(
        ProcessChainStatus.All.ToDictionary(s => s, _ => 0), SubmissionStatus.All.ToDictionary(s => s, _ => 0), 0, 0);

    private const int PageSize = 500;

    /// <summary>Reads the counts; every status appears, with 0 when nothing has it.</summary>
    public static async Task<InstanceSnapshot> TakeAsync(ISteepInstance steep, CancellationToken ct)
    {
        var chainCounts = await steep.ProcessChains.CountByStatusAsync(null, ct);
        var chains = ProcessChainStatus.All.ToDictionary(s => s, s => chainCounts.GetValueOrDefault(s));
        var submissions = new Dictionary<string, int>();
        foreach (var status in SubmissionStatus.All)
            submissions[status] = (await steep.Submissions.ListAsync(0, 0, status, ct)).Total;

        // the chains the controller still waits for: those of running submissions that have not finished
        long open = 0;
        for (int offset = 0; ; offset += PageSize)
        {
            var page = await steep.Submissions.ListAsync(offset, PageSize, SubmissionStatus.Running, ct);
            foreach (var s in page.Items)
                open += Math.Max(0, s.TotalProcessChains - s.SucceededProcessChains - s.FailedProcessChains - s.CancelledProcessChains);
            if (page.Items.Count < PageSize) break;
        }
        var agents = (await steep.GetAgentsAsync(ct)).Count;
        return new InstanceSnapshot(chains, submissions, open, agents);
    }
}
