using Steep.Agent;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Persistence;

namespace Steep.Grains;

/// <summary>What the grains need from outside: stores, service metadata, paths, the executor, events and the clock.</summary>
public sealed record SteepServices(
    ISubmissionStore Submissions,
    IProcessChainStore Chains,
    IReadOnlyList<Service> Services,
    SteepPaths Paths,
    IProcessChainExecutor Executor,
    IEventSink Events,
    TimeProvider Clock)
{
    /// <summary>Directory of each service's metadata file, to resolve relative program paths when a workflow is accepted.</summary>
    public IReadOnlyDictionary<string, string> ServiceDirectories { get; init; } = new Dictionary<string, string>();

    /// <summary>Macros that <c>include</c> actions of submitted workflows may use.</summary>
    public IReadOnlyDictionary<string, Macro> Macros { get; init; } = new Dictionary<string, Macro>();

    /// <summary>Consistency checker and process chain adapter plugins; null when there are none.</summary>
    public IGeneratorPlugins? GeneratorPlugins { get; init; }

    /// <summary>The progress estimates of the chains this silo's agents run (written by progress estimator plugins).</summary>
    public ChainProgress Progress { get; init; } = new();

    /// <summary>Chains registered a moment ago, for their first activation.</summary>
    public FreshChains FreshChains { get; init; } = new();

    /// <summary>The default of <see cref="MaxForEachItems"/>.</summary>
    public const long DefaultMaxForEachItems = 10_000_000;

    /// <summary>
    /// The most for-each iterations one submitted workflow may declare (<c>steep.http.maxForEachItems</c>; see
    /// <see cref="Core.Validation.ForEachItems"/>); 0: no limit.
    /// </summary>
    public long MaxForEachItems { get; init; } = DefaultMaxForEachItems;

    /// <summary>The default of <see cref="MaxRegisteredChains"/>.</summary>
    public const int DefaultMaxRegisteredChains = 5000;

    /// <summary>
    /// How many chains of one submission may be registered or running at once: the generator unrolls for-each items
    /// as chains finish, so a for-each over a million items holds a window of chains, not a million. 0: no limit
    /// (every item at once, as Steep does).
    /// </summary>
    public int MaxRegisteredChains { get; init; } = DefaultMaxRegisteredChains;

    /// <summary>
    /// The default of <see cref="StartRecordDelay"/>. Most chains of a large for-each end within milliseconds, and
    /// for those a RUNNING write of its own (the chain's row, its run's row, the counts trigger and index entries) is
    /// pure overhead next to the end's; 100 ms is short next to anything a user watches, so a longer chain still shows
    /// RUNNING (in <c>GET /processchains</c> too) at once to a person, and a crash within it loses nothing that a crash a
    /// moment later would not (the chain was running: it runs again).
    /// </summary>
    public static readonly TimeSpan DefaultStartRecordDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a chain runs before its RUNNING is written to the registry; a chain that ends sooner is written once,
    /// its start together with its end. Zero writes RUNNING as the chain starts.
    /// </summary>
    public TimeSpan StartRecordDelay { get; init; } = DefaultStartRecordDelay;

    /// <summary>
    /// How often a running submission with open chains checks the registry for chains that finished without their
    /// report reaching it (the chain's silo died in between); zero: only when it is started again after a recovery.
    /// </summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);
}
