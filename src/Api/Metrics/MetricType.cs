namespace Steep.Api.Metrics;

/// <summary>The metric types of the Prometheus text format that the API writes.</summary>
internal enum MetricType
{
    /// <summary>A value that only goes up (name ends in _total).</summary>
    Counter,
    /// <summary>A value that goes up and down.</summary>
    Gauge,
    /// <summary>Observations counted in buckets, with their sum and count.</summary>
    Histogram,
}
