namespace Steep.Grains.Runtime;

/// <summary>Settings of a <see cref="GrainRuntime"/>.</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>
    /// How long an activation may go without calls or notifications before it is deactivated (timer ticks do not count,
    /// so a timer does not keep a grain alive). <see cref="Timeout.InfiniteTimeSpan"/> keeps activations forever.
    /// The default, 15 minutes, is Orleans' default collection age.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often idle activations are looked for; an activation goes at most this much later than
    /// <see cref="IdleTimeout"/>. Null means a quarter of <see cref="IdleTimeout"/>, at most one minute.
    /// </summary>
    public TimeSpan? IdleCheckInterval { get; init; }

    /// <summary>The clock for idle detection and grain timers; tests pass a manual one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
