using Steep.Contracts;

namespace Steep.Grains;

/// <summary>
/// One per silo, keyed by the silo's name and placed on it (<see cref="Placement.SiloBoundPlacement"/>): what only that
/// silo has — its agents, the chain logs in its data directory — for the HTTP API of any other silo, and the door
/// through which the other silos' events reach its <c>/events</c> subscribers.
/// </summary>
[Alias("steep.ISiloGrain")]
public interface ISiloGrain : IGrainWithStringKey
{
    /// <summary>The state of the agents this silo registered.</summary>
    [Alias("GetAgents")]
    Task<IReadOnlyList<AgentInfo>> GetAgentsAsync();

    /// <summary>
    /// Up to <paramref name="count"/> bytes of the log <paramref name="fileName"/> (a name made by
    /// <see cref="Steep.Agent.ChainLogFileName"/>) from <paramref name="offset"/>; null if this silo has no such log.
    /// </summary>
    [Alias("ReadLog")]
    Task<LogChunk?> ReadLogAsync(string fileName, long offset, int count);

    /// <summary>Events of another silo (submission, process chain and agent events, in order) for this silo's subscribers.</summary>
    [Orleans.Concurrency.OneWay, Alias("Deliver")]
    Task DeliverAsync(IReadOnlyList<object> events);
}
