using System.Text.Json.Serialization;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Api.Views;

/// <summary>An agent as <c>GET /agents</c> shows it (Steep's field names, and the silo it lives on).</summary>
internal sealed record AgentView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("available")] bool Available,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities,
    [property: JsonPropertyName("startTime")] DateTimeOffset StartTime,
    [property: JsonPropertyName("stateChangedTime")] DateTimeOffset StateChangedTime,
    [property: JsonPropertyName("processChainId")] string? ProcessChainId,
    // not Steep's: the silo (host and process) the agent runs its chains on, for the dashboard and the Orleans clients
    [property: JsonPropertyName("silo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Silo,
    // and the machine it is on (the silo's name need not say)
    [property: JsonPropertyName("host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host)
{
    public static AgentView From(AgentInfo a) =>
        new(a.Id, a.Available, a.Capabilities, a.StartTime, a.StateChangedTime, a.ProcessChainId, a.Silo, a.Host);
}
