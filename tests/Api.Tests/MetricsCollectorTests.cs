using System.Diagnostics.Metrics;
using Steep.Api.Metrics;

namespace Steep.Api.Tests;

public sealed class MetricsCollectorTests
{
    [Fact]
    public void InstrumentsBecomeFamiliesWithTheirCurrentValues()
    {
        using var meter = new Meter("Steep");
        using var collector = new MetricsCollector(meter);
        long gauge = 5;
        meter.CreateObservableGauge("g", () => new Measurement<long>(gauge, new KeyValuePair<string, object?>("k", "v")), description: "a gauge");
        var counter = meter.CreateCounter<long>("c_total", description: "a counter");
        var histogram = meter.CreateHistogram("h_seconds", unit: "s", description: "a histogram", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 10] });

        counter.Add(2);
        counter.Add(3);
        histogram.Record(0.5, new KeyValuePair<string, object?>("service", "a"));
        histogram.Record(1, new KeyValuePair<string, object?>("service", "a"));
        histogram.Record(20, new KeyValuePair<string, object?>("service", "a"));
        histogram.Record(3, new KeyValuePair<string, object?>("service", "b"));

        var families = collector.Collect().ToDictionary(f => f.Name);
        Assert.Equal(MetricType.Gauge, families["g"].Type);
        Assert.Equal("a gauge", families["g"].Help);
        Assert.Equal(5, Assert.Single(families["g"].Series).Value);
        Assert.Equal(MetricType.Counter, families["c_total"].Type);
        Assert.Equal(5, Assert.Single(families["c_total"].Series).Value);

        var h = families["h_seconds"];
        Assert.Equal(MetricType.Histogram, h.Type);
        var a = h.Series.Single(s => s.Labels.Single().Value == "a").Histogram!;
        Assert.Equal([1.0, 10.0], a.UpperBounds);
        Assert.Equal([2L, 0L, 1L], a.BucketCounts); // 1 is "less than or equal" to the bound 1
        Assert.Equal(21.5, a.Sum);
        Assert.Equal(3, a.Count);
        Assert.Equal(1, h.Series.Single(s => s.Labels.Single().Value == "b").Histogram!.Count);

        gauge = 9;
        counter.Add(1);
        families = collector.Collect().ToDictionary(f => f.Name);
        Assert.Equal(9, families["g"].Series.Single().Value);
        Assert.Equal(6, families["c_total"].Series.Single().Value);
    }

    [Fact]
    public void AnotherMeterOfTheSameNameIsNotCollected()
    {
        using var mine = new Meter("Steep");
        using var other = new Meter("Steep");
        using var collector = new MetricsCollector(mine);
        mine.CreateObservableGauge("mine", () => 1L);
        other.CreateObservableGauge("theirs", () => 2L);
        Assert.Equal(["mine"], collector.Collect().Select(f => f.Name));
    }

    [Fact]
    public void TheSteepMetricsWriteValidText()
    {
        using var metrics = new SteepMetrics();
        metrics.RecordProcessChainDuration("sleep", TimeSpan.FromSeconds(1.5));
        metrics.RecordProcessChainDuration(null, TimeSpan.FromSeconds(0.01));
        var text = PrometheusTextWriter.Write(new MetricsCollectorProbe(metrics).Families());
        Assert.Contains("steep_process_chain_duration_seconds_bucket{service=\"sleep\",le=\"2.5\"} 1\n", text);
        Assert.Contains("steep_process_chain_duration_seconds_count{service=\"unknown\"} 1\n", text);
        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", text);
    }

    /// <summary>Scrapes without an instance: the instance gauges keep their empty snapshot.</summary>
    private sealed class MetricsCollectorProbe(SteepMetrics metrics)
    {
        public IReadOnlyList<MetricFamily> Families() => metrics.CollectWithoutInstance();
    }
}
