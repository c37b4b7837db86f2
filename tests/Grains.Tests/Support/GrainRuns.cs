using Steep.Contracts;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Persistence;

namespace Steep.Grains.Tests.Support;

/// <summary>Submits workflows to the grains as the submission intake does, and waits for their end, for grain tests.</summary>
public static class GrainRuns
{
    /// <summary>Stores the workflow as an ACCEPTED submission and starts its grain; returns its id.</summary>
    public static async Task<string> SubmitAsync(IGrainFactory grains, ISubmissionStore store, string yaml)
    {
        var id = UniqueIds.Next(TimeProvider.System);
        await store.AddAsync(new Submission { Id = id, Workflow = ModelReader.ReadWorkflow(yaml, "wf"), Status = SubmissionStatus.Accepted }, default);
        await grains.GetGrain<ISubmissionGrain>(id).StartAsync();
        return id;
    }

    /// <summary>The submission once it is final with its end time; fails the test when that takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<Submission> WaitFinalAsync(ISubmissionStore store, string id, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var s = await store.GetAsync(id, default);
            if (s is not null && SubmissionStatus.IsFinal(s.Status) && s.EndTime is not null) return s;
            Assert.True(DateTime.UtcNow < until, $"submission still {s?.Status}: {s?.SucceededProcessChains} succeeded of {s?.TotalProcessChains}");
            await Task.Delay(10);
        }
    }

    /// <summary>A for-each over 0..n-1 of one <c>cp</c> chain each.</summary>
    public static string ForEach(int n) => $$"""
        api: 4.0.0
        vars: [{id: items, value: [{{string.Join(", ", Enumerable.Range(0, n))}}]}, {id: x}, {id: y}]
        actions:
          - type: for
            input: items
            enumerator: x
            actions: [{type: execute, service: cp, inputs: [{id: i, var: x}], outputs: [{id: o, var: y}]}]
        """;
}
