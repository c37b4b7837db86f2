namespace Steep.Cluster.Tests.Support;

/// <summary>A silo-bound test grain that tells where it is active and can be made to go away.</summary>
public interface IBoundGrain : IGrainWithStringKey
{
    /// <summary>The name of the silo the activation lives on.</summary>
    Task<string> WhereAsync();

    /// <summary>Deactivates the grain (as idle collection would), so that the next call activates it again.</summary>
    Task LeaveAsync();
}
