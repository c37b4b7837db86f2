using System.Text.Json.Serialization;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Api.Views;

/// <summary>The data of an <c>event: processChain</c> on <c>GET /events</c>.</summary>
internal sealed record ProcessChainEventView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("submissionId")] string SubmissionId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("agentId")] string? AgentId,
    [property: JsonPropertyName("serviceId")] string? ServiceId,
    [property: JsonPropertyName("durationMillis")] long? DurationMillis)
{
    public static ProcessChainEventView From(ProcessChainEvent e) =>
        new(e.ProcessChainId, e.SubmissionId, e.Status, e.AgentId, e.ServiceId, e.Duration is { } d ? (long)d.TotalMilliseconds : null);
}
