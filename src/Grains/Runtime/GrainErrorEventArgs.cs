namespace Steep.Grains.Runtime;

/// <summary>Describes an error that happened inside a grain where no caller could observe it.</summary>
public sealed class GrainErrorEventArgs(GrainId grainId, GrainErrorSource source, Exception exception) : EventArgs
{
    /// <summary>The grain in which the error happened.</summary>
    public GrainId GrainId { get; } = grainId;

    /// <summary>What the grain was doing.</summary>
    public GrainErrorSource Source { get; } = source;

    /// <summary>The error.</summary>
    public Exception Exception { get; } = exception;
}
