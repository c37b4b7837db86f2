namespace Steep.Api.Metrics;

/// <summary>
/// A histogram's state: <paramref name="BucketCounts"/> holds the observations per bucket, not cumulative, one more
/// than <paramref name="UpperBounds"/> (the last bucket is everything above the largest bound).
/// </summary>
internal sealed record HistogramValue(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> BucketCounts, double Sum, long Count);
