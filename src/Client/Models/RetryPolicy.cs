using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>How often, and after which delays, a failed executable is attempted again.</summary>
public sealed record RetryPolicy
{
    /// <summary>The total number of attempts; 1 means no retry.</summary>
    [JsonPropertyName("maxAttempts")]
    public int MaxAttempts { get; init; } = 1;

    /// <summary>The delay before the first retry, in milliseconds.</summary>
    [JsonPropertyName("delay")]
    public long Delay { get; init; }

    /// <summary>The factor by which the delay grows after each attempt; 1 keeps it constant.</summary>
    [JsonPropertyName("exponentialBackoff")]
    public int ExponentialBackoff { get; init; } = 1;

    /// <summary>The upper bound of the delay in milliseconds; null for none.</summary>
    [JsonPropertyName("maxDelay")]
    public long? MaxDelay { get; init; }
}
