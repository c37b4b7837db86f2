namespace Steep.Persistence;

/// <summary>A full generator state saved after step <paramref name="Step"/> (0 = before the first step).</summary>
public sealed record GeneratorCheckpoint(long Step, byte[] State);
