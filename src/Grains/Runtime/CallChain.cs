namespace Steep.Grains.Runtime;

/// <summary>
/// The grains that are waiting, one on the next, for the current turn to finish: the innermost grain first. It flows
/// with the turn's async context, so a grain about to await a call can see that the callee is already waiting for it.
/// </summary>
internal sealed class CallChain(GrainId grain, CallChain? caller)
{
    /// <summary>The grain whose turn this is.</summary>
    public GrainId Grain { get; } = grain;

    /// <summary>The chain of the turn that awaits this one, or null when nobody inside the runtime waits.</summary>
    public CallChain? Caller { get; } = caller;

    /// <summary>True when <paramref name="id"/> is in the chain.</summary>
    public bool Contains(GrainId id)
    {
        for (var c = this; c is not null; c = c.Caller)
            if (c.Grain == id) return true;
        return false;
    }

    /// <summary>Names the cycle that calling <paramref name="target"/> would close, e.g. <c>A/1 -> B/1 -> A/1</c>.</summary>
    public string DescribeCycle(GrainId target)
    {
        var path = new List<GrainId>();
        for (var c = this; c is not null; c = c.Caller)
        {
            path.Add(c.Grain);
            if (c.Grain == target) break;
        }
        path.Reverse();
        path.Add(target);
        return string.Join(" -> ", path);
    }
}
