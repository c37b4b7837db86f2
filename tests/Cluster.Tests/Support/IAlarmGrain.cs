namespace Steep.Cluster.Tests.Support;

/// <summary>A test grain with an Orleans reminder.</summary>
public interface IAlarmGrain : IGrainWithStringKey
{
    /// <summary>Registers the reminder "alarm", first due after <paramref name="due"/>, then every minute.</summary>
    Task SetAsync(TimeSpan due);

    /// <summary>Unregisters the reminder.</summary>
    Task ClearAsync();

    /// <summary>The address of the silo the activation lives on.</summary>
    Task<string> WhereAsync();
}
