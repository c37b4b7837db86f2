namespace Steep.Api;

/// <summary>What became of a priority change.</summary>
public enum PriorityChange
{
    /// <summary>The priority was stored.</summary>
    Changed,

    /// <summary>There is no such submission or process chain.</summary>
    NotFound,

    /// <summary>It has finished: its priority no longer matters and stays as it was (Steep answers 422).</summary>
    Finished,
}
