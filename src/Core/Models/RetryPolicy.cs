using System.Text.Json.Serialization;
using Steep.Core.Serialization;

namespace Steep.Core.Models;

/// <summary>How often and with which delays a failed executable is retried.</summary>
public sealed record RetryPolicy
{
    /// <summary>Total number of attempts (1 = no retry).</summary>
    [JsonPropertyName("maxAttempts")]
    public int MaxAttempts { get; init; } = 1;

    /// <summary>Delay before the first retry, in milliseconds.</summary>
    [JsonPropertyName("delay"), JsonConverter(typeof(DurationMillisConverter))]
    public long Delay { get; init; }

    /// <summary>Factor by which the delay grows after each attempt.</summary>
    [JsonPropertyName("exponentialBackoff")]
    public int ExponentialBackoff { get; init; } = 1;

    /// <summary>Upper bound of the delay in milliseconds, if any.</summary>
    [JsonPropertyName("maxDelay"), JsonConverter(typeof(NullableDurationMillisConverter))]
    public long? MaxDelay { get; init; }

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayBeforeRetry(int retry)
    {
        double ms = Delay * Math.Pow(Math.Max(1, ExponentialBackoff), Math.Max(0, retry - 1));
        if (MaxDelay is { } max) ms = Math.Min(ms, max);
        return TimeSpan.FromMilliseconds(Math.Min(ms, TimeSpan.MaxValue.TotalMilliseconds / 2));
    }
}
