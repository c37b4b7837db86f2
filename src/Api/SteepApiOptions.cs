using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Api;

/// <summary>Settings of the HTTP API.</summary>
public sealed class SteepApiOptions
{
    /// <summary>When set, every endpoint but <c>/health</c> requires <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? Token { get; set; }

    /// <summary>The largest workflow <c>POST /workflows</c> accepts; larger bodies get 413.</summary>
    public long MaxWorkflowBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Workflow bodies of at least this many bytes are read, checked and stored one at a time (each costs many times its
    /// size meanwhile); smaller ones never wait.
    /// </summary>
    public int LargeWorkflowBytes { get; set; } = 1024 * 1024;

    /// <summary>How deep and how far (YAML aliases) a submitted workflow may expand; beyond that it gets 400.</summary>
    public ReadLimits ReadLimits { get; set; } = ReadLimits.Default;

    /// <summary>How often <c>GET /events</c> sends a comment to keep idle connections open.</summary>
    public TimeSpan EventKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a cancelling <c>PUT</c> waits for the running processes to be killed before it answers; the answer
    /// then shows the final counts (a submission or chain that is still settling after this answers as it is).
    /// </summary>
    public TimeSpan CancelWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The macros include actions of submitted workflows may name (by id); expanded before submission.</summary>
    public IReadOnlyDictionary<string, Macro> Macros { get; set; } = new Dictionary<string, Macro>();
}
