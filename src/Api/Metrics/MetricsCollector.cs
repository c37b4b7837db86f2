using System.Diagnostics.Metrics;
using System.Text;

namespace Steep.Api.Metrics;

/// <summary>
/// Collects the current values of one <see cref="Meter"/>'s instruments with a <see cref="MeterListener"/>: observable
/// instruments are read at each <see cref="Collect"/>, counters and histograms add up what was recorded since start.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    /// <summary>Bucket bounds (seconds) of histograms that give no advice.</summary>
    public static readonly IReadOnlyList<double> DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener;
    private readonly Lock _gate = new();
    private readonly Lock _collecting = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Dictionary<Instrument, Dictionary<string, SeriesState>> _series = [];

    public MetricsCollector(Meter meter)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // by reference, not by name: another meter called "Steep" (another instance in this process) is not ours
                if (!ReferenceEquals(instrument.Meter, meter)) return;
                lock (_gate) _instruments.Add(instrument);
                listener.EnableMeasurementEvents(instrument);
            },
            MeasurementsCompleted = (instrument, _) =>
            {
                lock (_gate)
                {
                    _instruments.Remove(instrument);
                    _series.Remove(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns every instrument's family, in publication order.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collecting)
        {
            lock (_gate)
            {
                // observable values are replaced on each read: a series the callback no longer reports disappears
                foreach (var i in _instruments.Where(i => i.IsObservable)) _series.Remove(i);
            }
            _listener.RecordObservableInstruments();
            lock (_gate) return _instruments.Select(Family).ToList();
        }
    }

    private MetricFamily Family(Instrument instrument)
    {
        var type = TypeOf(instrument);
        var series = new List<MetricSeries>();
        if (_series.TryGetValue(instrument, out var byKey))
        {
            foreach (var (_, s) in byKey.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                series.Add(s.Counts is null
                    ? new MetricSeries(s.Labels, s.Value)
                    : new MetricSeries(s.Labels, 0, new HistogramValue(s.Bounds!, [.. s.Counts], s.Sum, s.Count)));
            }
        }
        return new MetricFamily(instrument.Name, instrument.Description ?? "", type, series);
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var (k, v) in tags) labels.Add(new(k, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var key = new StringBuilder();
        foreach (var (k, v) in labels) key.Append(k).Append('\0').Append(v).Append('\0');

        var type = TypeOf(instrument);
        lock (_gate)
        {
            if (!_series.TryGetValue(instrument, out var byKey)) _series[instrument] = byKey = [];
            if (!byKey.TryGetValue(key.ToString(), out var s))
            {
                s = new SeriesState(labels);
                if (type == MetricType.Histogram)
                {
                    s.Bounds = BucketsOf(instrument);
                    s.Counts = new long[s.Bounds.Count + 1];
                }
                byKey[key.ToString()] = s;
            }
            if (s.Counts is not null)
            {
                int bucket = 0;
                while (bucket < s.Bounds!.Count && value > s.Bounds[bucket]) bucket++; // le: "less than or equal"
                s.Counts[bucket]++;
                s.Sum += value;
                s.Count++;
            }
            else if (instrument.IsObservable || IsSyncGauge(instrument)) s.Value = value; // the current value
            else s.Value += value; // counters and up-down counters add up increments
        }
    }

    private static MetricType TypeOf(Instrument instrument)
    {
        var t = instrument.GetType();
        var definition = t.IsGenericType ? t.GetGenericTypeDefinition() : t;
        if (definition == typeof(Histogram<>)) return MetricType.Histogram;
        if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>)) return MetricType.Counter;
        return MetricType.Gauge; // gauges, up-down counters (observable or not)
    }

    private static bool IsSyncGauge(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(Gauge<>);

    private static IReadOnlyList<double> BucketsOf(Instrument instrument)
    {
        IReadOnlyList<double>? advice = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            _ => null,
        };
        var bounds = (advice is { Count: > 0 } ? advice : DefaultBuckets)
            .Where(b => !double.IsNaN(b) && !double.IsPositiveInfinity(b)).Distinct().Order().ToList();
        return bounds;
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private sealed class SeriesState(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;
        public double Value { get; set; }
        public IReadOnlyList<double>? Bounds { get; set; }
        public long[]? Counts { get; set; }
        public double Sum { get; set; }
        public long Count { get; set; }
    }
}
