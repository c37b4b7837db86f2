using Steep.Grains;

namespace Steep.Api;

/// <summary>A process chain log that lives in another silo's data directory, read in bounded parts through that silo's <see cref="ISiloGrain"/>.</summary>
/// <param name="Silo">The name of the silo that holds it.</param>
/// <param name="FileName">The log's file name there.</param>
/// <param name="Size">Its length in bytes when it was found.</param>
/// <param name="Grain">The silo's grain that reads it.</param>
public sealed record RemoteLog(string Silo, string FileName, long Size, ISiloGrain Grain)
{
    /// <summary>Up to <paramref name="count"/> bytes from <paramref name="offset"/>; empty at the end or when the log was removed meanwhile.</summary>
    public async Task<byte[]> ReadAsync(long offset, int count, CancellationToken ct)
    {
        var chunk = await Grain.ReadLogAsync(FileName, offset, count).WaitAsync(ct);
        return chunk?.Data ?? [];
    }
}
