namespace Steep.Grains;

/// <summary>The ids of the agents this silo registered (its machine's agents), set once they are registered.</summary>
public sealed class LocalAgents
{
    private volatile IReadOnlyList<string> _ids = [];

    /// <summary>The agents' ids; empty before registration.</summary>
    public IReadOnlyList<string> Ids
    {
        get => _ids;
        set => _ids = value;
    }
}
