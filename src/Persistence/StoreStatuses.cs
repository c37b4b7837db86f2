namespace Steep.Persistence;

/// <summary>Statuses the store knows beyond those the grains use today.</summary>
public static class StoreStatuses
{
    /// <summary>
    /// Steep 6's PAUSED process chain status (a chain waiting for its next attempt). Nothing sets it yet; the stores
    /// count it (<c>pausedProcessChains</c>) and treat it as unfinished, so the grains can start using it.
    /// </summary>
    public const string Paused = "PAUSED";
}
