using Orleans.Placement;
using Orleans.Runtime;

namespace Steep.Cluster.Tests.Support;

/// <summary>Records each tick of its reminder in <see cref="Alarms"/>, with the silo it fired on.</summary>
[PreferLocalPlacement]
public sealed class AlarmGrain(ILocalSiloDetails silo) : Grain, IAlarmGrain, IRemindable
{
    private const string Name = "alarm";

    /// <inheritdoc />
    public async Task SetAsync(TimeSpan due) => await this.RegisterOrUpdateReminder(Name, due, TimeSpan.FromMinutes(1));

    /// <inheritdoc />
    public async Task ClearAsync()
    {
        if (await this.GetReminder(Name) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <inheritdoc />
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Alarms.Record(this.GetPrimaryKeyString(), silo.SiloAddress.ToParsableString());
        return Task.CompletedTask;
    }
}
