using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>A virtual machine created by the server's cloud manager.</summary>
public sealed record VirtualMachine
{
    /// <summary>The unique identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The identifier the cloud gave the machine; null until it exists.</summary>
    [JsonPropertyName("externalId")]
    public string? ExternalId { get; init; }

    /// <summary>The machine's IP address; null until it is known.</summary>
    [JsonPropertyName("ipAddress")]
    public string? IpAddress { get; init; }

    /// <summary>The setup the machine was created from, as the server sent it.</summary>
    [JsonPropertyName("setup")]
    public JsonObject? Setup { get; init; }

    /// <summary>When the machine was created.</summary>
    [JsonPropertyName("creationTime")]
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>When the machine's agent joined the cluster.</summary>
    [JsonPropertyName("agentJoinTime")]
    public DateTimeOffset? AgentJoinTime { get; init; }

    /// <summary>When the machine was destroyed.</summary>
    [JsonPropertyName("destructionTime")]
    public DateTimeOffset? DestructionTime { get; init; }

    /// <summary>The status: CREATING, PROVISIONING, RUNNING, LEFT, DESTROYING, DESTROYED or ERROR.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>Why the machine has its status (for instance an error message); null if no reason is known.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }
}
