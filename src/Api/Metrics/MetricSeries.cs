namespace Steep.Api.Metrics;

/// <summary>One series: its labels and value (counters and gauges) or its histogram.</summary>
internal sealed record MetricSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, HistogramValue? Histogram = null);
