using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Api.Views;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Contracts;
using Steep.Grains;
using Steep.Persistence;

namespace Steep.Api.EventBus;

/// <summary>
/// Turns the instance's change events into the messages Steep's submission registry and agents publish, with Steep's
/// payloads (NotifyingSubmissionRegistry.kt). Our events carry the new state only, so the previous one is remembered.
/// </summary>
internal sealed class EventTranslator(ISteepInstance steep, EventBusHub hub)
{
    private const int ChainsPerMessage = 1000;

    private readonly Dictionary<string, (string Status, int Total)> _submissions = new(StringComparer.Ordinal);
    // only chains that have started: a chain the translator has not seen is REGISTERED
    private readonly Dictionary<string, string> _chains = new(StringComparer.Ordinal);

    public Task TranslateAsync(object e, CancellationToken ct) => e switch
    {
        SubmissionEvent s => SubmissionAsync(s, ct),
        ProcessChainEvent c => ChainAsync(c, ct),
        AgentEvent a => Agent(a),
        _ => Task.CompletedTask,
    };

    private async Task SubmissionAsync(SubmissionEvent e, CancellationToken ct)
    {
        bool known = _submissions.TryGetValue(e.SubmissionId, out var before);
        _submissions[e.SubmissionId] = (e.Status, e.Total);
        // The first event of a new submission is its start (RUNNING, nothing generated yet); Steep announces it as
        // added (ACCEPTED), then its status and start time change. A submission first met later (one resumed after
        // a restart) only reports what changes from now on.
        bool isNew = !known && e.Total == 0 && e.Status is SubmissionStatus.Accepted or SubmissionStatus.Running;
        string previous = known ? before.Status
            : isNew ? SubmissionStatus.Accepted
            : SubmissionStatus.IsFinal(e.Status) ? SubmissionStatus.Running : e.Status;
        if (isNew && hub.IsListened(EventBusAddresses.SubmissionAdded)
            && await steep.Submissions.GetAsync(e.SubmissionId, ct) is { } added)
            hub.Publish(EventBusAddresses.SubmissionAdded, SubmissionAdded(added));

        if (e.Status != previous)
        {
            hub.Publish(EventBusAddresses.SubmissionStatusChanged, new JsonObject { ["submissionId"] = e.SubmissionId, ["status"] = e.Status });
            if (e.Status == SubmissionStatus.Running)
                hub.Publish(EventBusAddresses.SubmissionStartTimeChanged, new JsonObject { ["submissionId"] = e.SubmissionId, ["startTime"] = Now() });
            if (SubmissionStatus.IsFinal(e.Status))
            {
                if (e.Status == SubmissionStatus.Error && hub.IsListened(EventBusAddresses.SubmissionErrorMessageChanged)
                    && await steep.Submissions.GetAsync(e.SubmissionId, ct) is { ErrorMessage: { } message })
                    hub.Publish(EventBusAddresses.SubmissionErrorMessageChanged, new JsonObject { ["submissionId"] = e.SubmissionId, ["errorMessage"] = message });
                hub.Publish(EventBusAddresses.SubmissionEndTimeChanged, new JsonObject { ["submissionId"] = e.SubmissionId, ["endTime"] = Now() });
            }
        }

        int addedChains = e.Total - (known ? before.Total : 0);
        if (addedChains > 0) await ChainsAddedAsync(e.SubmissionId, addedChains, ct);
        // finished submissions change no more: forgetting them keeps the memory to the running ones
        if (SubmissionStatus.IsFinal(e.Status)) _submissions.Remove(e.SubmissionId);
    }

    private async Task ChainsAddedAsync(string submissionId, int count, CancellationToken ct)
    {
        hub.Publish(EventBusAddresses.ProcessChainsAddedSize, new JsonObject
        {
            ["processChainsSize"] = count, ["submissionId"] = submissionId, ["status"] = ProcessChainStatus.Registered,
        });
        if (!hub.IsListened(EventBusAddresses.ProcessChainsAdded)) return;
        // the newest chains of the submission are the added ones; sent oldest first, in slices
        var page = await steep.ProcessChains.ListAsync(submissionId, null, 0, count, newestFirst: true, ct);
        foreach (var slice in page.Items.Reverse().Chunk(ChainsPerMessage))
        {
            hub.Publish(EventBusAddresses.ProcessChainsAdded, new JsonObject
            {
                ["processChains"] = new JsonArray(slice.Select(c => (JsonNode)ProcessChainViews.Summary(c)).ToArray()),
                ["submissionId"] = submissionId,
                ["status"] = ProcessChainStatus.Registered,
            });
        }
    }

    private async Task ChainAsync(ProcessChainEvent e, CancellationToken ct)
    {
        var previous = _chains.GetValueOrDefault(e.ProcessChainId, ProcessChainStatus.Registered);
        if (e.Status is ProcessChainStatus.Registered or ProcessChainStatus.Cancelled or ProcessChainStatus.Success or ProcessChainStatus.Error)
            _chains.Remove(e.ProcessChainId);
        else
            _chains[e.ProcessChainId] = e.Status;
        if (previous == e.Status) return;

        hub.Publish(EventBusAddresses.ProcessChainStatusChanged, new JsonObject
        {
            ["processChainId"] = e.ProcessChainId, ["submissionId"] = e.SubmissionId, ["status"] = e.Status, ["previousStatus"] = previous,
        });
        if (e.Status == ProcessChainStatus.Running)
            hub.Publish(EventBusAddresses.ProcessChainStartTimeChanged, new JsonObject { ["processChainId"] = e.ProcessChainId, ["startTime"] = Now() });
        if (e.Status is ProcessChainStatus.Cancelled or ProcessChainStatus.Success or ProcessChainStatus.Error)
        {
            hub.Publish(EventBusAddresses.ProcessChainEndTimeChanged, new JsonObject { ["processChainId"] = e.ProcessChainId, ["endTime"] = Now() });
            if (e.Status == ProcessChainStatus.Error && hub.IsListened(EventBusAddresses.ProcessChainErrorMessageChanged)
                && await steep.ProcessChains.GetAsync(e.ProcessChainId, ct) is { Chain.ErrorMessage: { } message })
                hub.Publish(EventBusAddresses.ProcessChainErrorMessageChanged, new JsonObject { ["processChainId"] = e.ProcessChainId, ["errorMessage"] = message });
        }
    }

    private Task Agent(AgentEvent e)
    {
        switch (e.State)
        {
            case "registered":
                hub.Publish(EventBusAddresses.AgentAdded, JsonValue.Create(e.AgentId));
                break;
            case "left":
                hub.Publish(EventBusAddresses.AgentLeft, JsonValue.Create(e.AgentId));
                break;
            case "busy":
                hub.Publish(EventBusAddresses.AgentBusy, new JsonObject
                {
                    ["id"] = e.AgentId, ["processChainId"] = e.ProcessChainId, ["stateChangedTime"] = Now(),
                });
                break;
            case "idle":
                hub.Publish(EventBusAddresses.AgentIdle, new JsonObject { ["id"] = e.AgentId, ["stateChangedTime"] = Now() });
                break;
        }
        return Task.CompletedTask;
    }

    /// <summary>Steep publishes the submission as it was added, without its workflow (the UI starts its counts at 0).</summary>
    private static JsonObject SubmissionAdded(Submission s)
    {
        var asAdded = s with
        {
            Name = s.Name, Priority = s.Priority, Workflow = null, Source = null,
            Status = SubmissionStatus.Accepted, StartTime = null, EndTime = null,
        };
        var node = (JsonObject)JsonSerializer.SerializeToNode(asAdded, SteepJson.Options)!;
        foreach (var count in new[] { "runningProcessChains", "pausedProcessChains", "cancelledProcessChains",
                     "succeededProcessChains", "failedProcessChains", "totalProcessChains", "results", "errorMessage" })
            node.Remove(count);
        return node;
    }

    private static JsonNode Now() => JsonSerializer.SerializeToNode(DateTimeOffset.UtcNow, SteepJson.Options)!;
}
