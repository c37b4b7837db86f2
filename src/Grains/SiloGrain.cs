using Orleans.GrainDirectory;
using Orleans.Concurrency;
using Steep.Contracts;
using Steep.Grains.Placement;

namespace Steep.Grains;

/// <summary>A silo's own things for the rest of the cluster (<see cref="ISiloGrain"/>); holds no state of its own.</summary>
[GrainDirectory(SteepPlacement.DurableDirectory)] // survives the death of another silo (see SteepPlacement)
[SiloBoundPlacement]
[Reentrant] // reads only: a long log transfer must not hold up the agent list or the events
public sealed class SiloGrain(SteepServices services, LocalAgents agents, EventHub events) : Grain, ISiloGrain
{
    /// <summary>The largest part of a log one call carries, so that a big log never becomes one huge message.</summary>
    public const int MaxChunk = 1024 * 1024;

    /// <inheritdoc />
    public async Task<IReadOnlyList<AgentInfo>> GetAgentsAsync()
    {
        var infos = await Task.WhenAll(agents.Ids.Select(id => GrainFactory.GetGrain<IAgentGrain>(id).GetInfoAsync()));
        return infos.OfType<AgentInfo>().ToList();
    }

    /// <inheritdoc />
    public async Task<LogChunk?> ReadLogAsync(string fileName, long offset, int count)
    {
        // only a bare file name in the log folder: a caller cannot read anything else on this machine
        if (fileName.Length == 0 || Path.GetFileName(fileName) != fileName || fileName is "." or ".." || !fileName.EndsWith(".log", StringComparison.Ordinal))
            return null;
        var path = Path.Combine(services.Paths.LogPath, fileName);
        if (!File.Exists(path)) return null;
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            long size = file.Length;
            if (offset >= size || count <= 0) return new LogChunk(size, []);
            var buffer = new byte[(int)Math.Min(Math.Min(count, MaxChunk), size - offset)];
            file.Seek(offset, SeekOrigin.Begin);
            int read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
            return new LogChunk(size, read == buffer.Length ? buffer : buffer[..read]);
        }
        catch (FileNotFoundException)
        {
            return null; // removed meanwhile
        }
    }

    /// <inheritdoc />
    public Task DeliverAsync(IReadOnlyList<object> delivered)
    {
        foreach (var e in delivered)
        {
            if (e is SubmissionEvent or ProcessChainEvent or AgentEvent) events.PublishFromOtherSilo(e);
        }
        return Task.CompletedTask;
    }
}
