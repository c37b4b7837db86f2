using Steep.Contracts;

namespace Steep.Grains;

/// <summary>Receives notifications of changes (for progress displays, server-sent events and metrics). Must not block.</summary>
public interface IEventSink
{
    /// <summary>A submission changed (status or counts).</summary>
    void SubmissionChanged(SubmissionEvent e);

    /// <summary>A process chain changed status.</summary>
    void ProcessChainChanged(ProcessChainEvent e);

    /// <summary>An agent registered, left, or became busy or idle.</summary>
    void AgentChanged(AgentEvent e);
}
