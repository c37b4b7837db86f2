using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Models;
using Steep.Core.Validation;

namespace Steep.Grains;

/// <summary>
/// Accepts workflows: validates them against the silo's service metadata, stores the submission (with the services it
/// was accepted with, so that any silo can finish it later) and starts its grain. One path for the HTTP API, the
/// command line and Orleans clients.
/// </summary>
public sealed class SubmissionIntake(SteepServices services, IGrainFactory grains)
{
    /// <summary>Validates and stores a workflow, then starts it.</summary>
    /// <param name="workflow">The workflow (includes already expanded).</param>
    /// <param name="ct">Cancels the wait for the store.</param>
    /// <param name="source">The workflow text exactly as submitted, when there was one (Steep's <c>source</c>).</param>
    /// <exception cref="WorkflowRejectedException">the workflow has problems; nothing was stored.</exception>
    public async Task<Submission> SubmitAsync(Workflow workflow, CancellationToken ct, string? source = null)
    {
        var problems = WorkflowValidator.Validate(workflow, services.Services);
        if (problems.Count > 0) throw new WorkflowRejectedException(problems);
        if (services.MaxForEachItems > 0 && ForEachItems.Count(workflow, services.MaxForEachItems) is var items && items > services.MaxForEachItems)
        {
            var count = items == long.MaxValue ? "too many" : $"more than {services.MaxForEachItems:N0}";
            throw new WorkflowRejectedException([
                $"actions: the for-each actions unroll to {count} iterations (the limit is {services.MaxForEachItems:N0}); " +
                "split the workflow into smaller submissions, or raise the limit steep.http.maxForEachItems (STEEP_HTTP_MAXFOREACHITEMS)"]);
        }
        var used = UsedServices(workflow, services.Services);
        var submission = new Submission
        {
            Id = UniqueIds.Next(services.Clock),
            Workflow = workflow with { Api = workflow.Api ?? Workflow.LatestApiVersion },
            Status = SubmissionStatus.Accepted,
            Source = source,
            RequiredCapabilities = used.SelectMany(s => s.RequiredCapabilities).Distinct().Order(StringComparer.Ordinal).ToList(),
            ServiceMetadata = used.Select(s => ServicePaths.Resolve(s, services.ServiceDirectories.GetValueOrDefault(s.Id))).ToList(),
        };
        await services.Submissions.AddAsync(submission, ct);
        await grains.GetGrain<ISubmissionGrain>(submission.Id).StartAsync();
        return submission;
    }

    /// <summary>The metadata of the services the workflow calls, in the order of the silo's list.</summary>
    private static IReadOnlyList<Service> UsedServices(Workflow workflow, IReadOnlyList<Service> known)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Visit(IEnumerable<WorkflowAction> actions)
        {
            foreach (var a in actions)
            {
                if (a is ExecuteAction e) used.Add(e.Service);
                if (a is ForEachAction f) Visit(f.Actions);
            }
        }
        Visit(workflow.Actions);
        return known.Where(s => used.Contains(s.Id)).ToList();
    }
}
