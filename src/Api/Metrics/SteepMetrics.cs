using System.Diagnostics.Metrics;
using Steep.Core.Models;

namespace Steep.Api.Metrics;

/// <summary>
/// The instruments of the meter "Steep": gauges read from the instance at each scrape, the process chain duration
/// histogram fed from the event stream, and process/runtime figures; plus the collector that exposes them.
/// </summary>
internal sealed class SteepMetrics : IDisposable
{
    public const string MeterName = "Steep";

    /// <summary>Bucket bounds of the process chain duration histogram (seconds): from a blink to hours.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];

    private readonly Meter _meter = new(MeterName);
    private readonly MetricsCollector _collector;
    private readonly Histogram<double> _chainDuration;
    private readonly SemaphoreSlim _scrape = new(1, 1);
    private InstanceSnapshot _instance = InstanceSnapshot.Empty;
    private ProcessSnapshot _process = ProcessSnapshot.Empty;

    public SteepMetrics()
    {
        _collector = new MetricsCollector(_meter);
        _meter.CreateObservableGauge("steep_scheduler_process_chains",
            () => _instance.ChainsByStatus.Select(kv => new Measurement<long>(kv.Value, Tag("status", kv.Key))),
            description: "Number of process chains by status");
        _meter.CreateObservableGauge("steep_controller_process_chains",
            () => _instance.ControllerChains,
            description: "Number of process chains of running submissions that have not finished yet");
        _meter.CreateObservableGauge("steep_submissions",
            () => _instance.SubmissionsByStatus.Select(kv => new Measurement<long>(kv.Value, Tag("status", kv.Key))),
            description: "Number of submissions by status");
        _meter.CreateObservableGauge("steep_agents", () => (long)_instance.Agents,
            description: "Number of registered agents");
        _chainDuration = _meter.CreateHistogram("steep_process_chain_duration_seconds", unit: "s",
            description: "How long finished process chains ran, by the service of their first executable",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        _meter.CreateObservableCounter("process_cpu_seconds_total", () => _process.CpuSeconds,
            description: "Total user and system CPU time spent in seconds");
        _meter.CreateObservableGauge("process_resident_memory_bytes", () => _process.ResidentBytes,
            description: "Resident memory size in bytes");
        _meter.CreateObservableGauge("process_virtual_memory_bytes", () => _process.VirtualBytes,
            description: "Virtual memory size in bytes");
        _meter.CreateObservableGauge("process_start_time_seconds", () => _process.StartTimeSeconds,
            description: "Start time of the process since unix epoch in seconds");
        _meter.CreateObservableGauge("process_num_threads", () => (long)_process.Threads,
            description: "Number of operating system threads of the process");
        _meter.CreateObservableGauge("process_open_fds",
            () => _process.OpenFiles is { } n ? [new Measurement<long>(n)] : Array.Empty<Measurement<long>>(),
            description: "Number of open file descriptors");
        _meter.CreateObservableCounter("dotnet_gc_collections_total",
            () => _process.Collections.Select((n, g) => new Measurement<long>(n, Tag("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            description: "Number of garbage collections by generation");
        _meter.CreateObservableGauge("dotnet_total_memory_bytes", () => _process.ManagedBytes,
            description: "Managed heap size in bytes (GC.GetTotalMemory)");
        _meter.CreateObservableGauge("dotnet_threadpool_threads", () => (long)ThreadPool.ThreadCount,
            description: "Number of thread pool threads");
    }

    /// <summary>Records how long a finished process chain ran.</summary>
    public void RecordProcessChainDuration(string? serviceId, TimeSpan duration) =>
        _chainDuration.Record(Math.Max(0, duration.TotalSeconds), Tag("service", serviceId ?? "unknown"));

    /// <summary>Reads the instance and the process, then returns every metric family.</summary>
    public async Task<IReadOnlyList<MetricFamily>> ScrapeAsync(ISteepInstance steep, CancellationToken ct)
    {
        await _scrape.WaitAsync(ct);
        try
        {
            _instance = await InstanceSnapshot.TakeAsync(steep, ct);
            _process = ProcessSnapshot.Take();
            return _collector.Collect();
        }
        finally
        {
            _scrape.Release();
        }
    }

    /// <summary>Collects with the last instance snapshot (for tests of the process and histogram metrics).</summary>
    internal IReadOnlyList<MetricFamily> CollectWithoutInstance()
    {
        _process = ProcessSnapshot.Take();
        return _collector.Collect();
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    /// <inheritdoc />
    public void Dispose()
    {
        _collector.Dispose();
        _meter.Dispose();
        _scrape.Dispose();
    }
}
