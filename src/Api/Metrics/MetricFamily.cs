namespace Steep.Api.Metrics;

/// <summary>All series of one metric name, with its help text and type.</summary>
internal sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<MetricSeries> Series);
