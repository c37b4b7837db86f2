namespace Steep.Cluster.Tests.Support;

/// <summary>A test grain that tells which silo it is active on.</summary>
public interface IWhereGrain : IGrainWithStringKey
{
    /// <summary>The address of the silo the activation lives on, as <c>SiloAddress.ToParsableString()</c>.</summary>
    Task<string> WhereAsync();
}
