using Prometheus;
using Steep.Core.Models;

namespace Steep.Api.Metrics;

/// <summary>
/// The metrics of one instance, in a prometheus-net registry of its own: Steep's gauges (read from the instance before
/// each scrape), the process chain duration histogram (fed from the event stream), the process and .NET runtime
/// figures, and Orleans' own meters.
/// </summary>
internal sealed class SteepMetrics : IDisposable
{
    /// <summary>Bucket bounds of the process chain duration histogram (seconds): from a blink to hours.</summary>
    public static readonly double[] DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];

    private readonly Gauge _schedulerChains;
    private readonly Gauge _controllerChains;
    private readonly Gauge _submissions;
    private readonly Gauge _agents;
    private readonly Histogram _chainDuration;
    private readonly IDisposable _orleansMeters;

    public SteepMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _schedulerChains = factory.CreateGauge("steep_scheduler_process_chains", "Number of process chains by status",
            new GaugeConfiguration { LabelNames = ["status"] });
        _controllerChains = factory.CreateGauge("steep_controller_process_chains",
            "Number of process chains of running submissions that have not finished yet");
        _submissions = factory.CreateGauge("steep_submissions", "Number of submissions by status",
            new GaugeConfiguration { LabelNames = ["status"] });
        _agents = factory.CreateGauge("steep_agents", "Number of registered agents");
        _chainDuration = factory.CreateHistogram("steep_process_chain_duration_seconds",
            "How long finished process chains ran, by the service of their first executable",
            new HistogramConfiguration { LabelNames = ["service"], Buckets = DurationBuckets });
        // every status from the start, so that a series never appears out of nowhere
        foreach (var s in ProcessChainStatus.All) _schedulerChains.WithLabels(s).Set(0);
        foreach (var s in SubmissionStatus.All) _submissions.WithLabels(s).Set(0);

        DotNetStats.Register(Registry);
        // the silo's own figures: messaging, activations, grain calls, gateway clients
        _orleansMeters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            InstrumentFilterPredicate = i => i.Meter.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
        });
    }

    /// <summary>The registry <c>GET /metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Records how long a finished process chain ran.</summary>
    public void RecordProcessChainDuration(string? serviceId, TimeSpan duration) =>
        _chainDuration.WithLabels(serviceId ?? "unknown").Observe(Math.Max(0, duration.TotalSeconds));

    /// <summary>Reads the instance's counts into the gauges (before a scrape).</summary>
    public async Task UpdateAsync(ISteepInstance steep, CancellationToken ct)
    {
        var snapshot = await InstanceSnapshot.TakeAsync(steep, ct);
        foreach (var (status, n) in snapshot.ChainsByStatus) _schedulerChains.WithLabels(status).Set(n);
        foreach (var (status, n) in snapshot.SubmissionsByStatus) _submissions.WithLabels(status).Set(n);
        _controllerChains.Set(snapshot.ControllerChains);
        _agents.Set(snapshot.Agents);
    }

    /// <inheritdoc />
    public void Dispose() => _orleansMeters.Dispose();
}
