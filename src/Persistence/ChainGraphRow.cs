namespace Steep.Persistence;

/// <summary>
/// What a picture of a submission's chains needs of one chain: status, agent, times, its services and the files it
/// reads and writes (the values of its executables' input and output arguments), without the rest of the chain.
/// </summary>
/// <param name="Id">The chain id.</param>
/// <param name="Status">Its status.</param>
/// <param name="AgentId">The agent running (or that ran) it.</param>
/// <param name="StartTime">When it started, if it has.</param>
/// <param name="EndTime">When it ended, if it has.</param>
/// <param name="Services">The service ids of its executables, each once, in order.</param>
/// <param name="Inputs">Values of its executables' input arguments (files or directories), non-empty ones.</param>
/// <param name="Outputs">Values of its executables' output arguments, non-empty ones.</param>
public sealed record ChainGraphRow(
    string Id,
    string Status,
    string? AgentId,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs)
{
    /// <summary>The row of a chain read in full (stores that keep objects, and the default of the interface).</summary>
    public static ChainGraphRow From(StoredProcessChain stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var c = stored.Chain;
        var services = new List<string>();
        var inputs = new List<string>();
        var outputs = new List<string>();
        foreach (var e in c.Executables)
        {
            if (!services.Contains(e.ServiceId)) services.Add(e.ServiceId);
            foreach (var a in e.Arguments)
            {
                if (a.Variable.Value.Length == 0) continue;
                if (a.Type == Core.Models.ArgumentTypes.Input) inputs.Add(a.Variable.Value);
                else if (a.Type == Core.Models.ArgumentTypes.Output) outputs.Add(a.Variable.Value);
            }
        }
        return new ChainGraphRow(c.Id, c.Status ?? "", stored.AgentId, c.StartTime, c.EndTime, services, inputs, outputs);
    }
}
