using System.Globalization;
using System.Text;

namespace Steep.Api.Metrics;

/// <summary>
/// Writes metric families in the Prometheus text exposition format 0.0.4: one HELP and TYPE line per family, escaped
/// help text and label values, valid names, histograms as cumulative buckets ending in le="+Inf" plus _sum and _count,
/// and never the same series twice.
/// </summary>
internal static class PrometheusTextWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The text of the families.</summary>
    public static string Write(IEnumerable<MetricFamily> families)
    {
        var sb = new StringBuilder();
        Write(sb, families);
        return sb.ToString();
    }

    /// <summary>Appends the families; families with the same name are merged (the first one's type and help win).</summary>
    public static void Write(StringBuilder sb, IEnumerable<MetricFamily> families)
    {
        var merged = new List<(string Name, MetricFamily First, List<MetricSeries> Series)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in families)
        {
            var name = MetricName(f.Name);
            if (!index.TryGetValue(name, out int i))
            {
                index[name] = merged.Count;
                merged.Add((name, f, [.. f.Series]));
            }
            else if (merged[i].First.Type == f.Type)
            {
                merged[i].Series.AddRange(f.Series);
            }
            // a family of the same name but another type cannot be written without breaking the format: dropped
        }

        foreach (var (name, family, series) in merged)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in series)
            {
                var labels = Labels(s.Labels, family.Type == MetricType.Histogram);
                if (!seen.Add(LabelKey(labels))) continue;
                if (family.Type == MetricType.Histogram) WriteHistogram(sb, name, labels, s.Histogram);
                else WriteSample(sb, name, labels, null, s.Value);
            }
        }
    }

    private static void WriteHistogram(StringBuilder sb, string name, List<KeyValuePair<string, string>> labels, HistogramValue? h)
    {
        h ??= new HistogramValue([], [0], 0, 0);
        long cumulative = 0;
        for (int i = 0; i < h.UpperBounds.Count; i++)
        {
            if (double.IsPositiveInfinity(h.UpperBounds[i])) break; // +Inf comes last, once
            cumulative += i < h.BucketCounts.Count ? h.BucketCounts[i] : 0;
            WriteSample(sb, name + "_bucket", labels, Number(h.UpperBounds[i]), cumulative);
        }
        // the +Inf bucket holds every observation, whatever the buckets say
        WriteSample(sb, name + "_bucket", labels, "+Inf", h.Count);
        WriteSample(sb, name + "_sum", labels, null, h.Sum);
        WriteSample(sb, name + "_count", labels, null, h.Count);
    }

    private static void WriteSample(StringBuilder sb, string name, List<KeyValuePair<string, string>> labels, string? le, double value)
    {
        sb.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            sb.Append('{');
            bool first = true;
            foreach (var (k, v) in labels)
            {
                if (!first) sb.Append(',');
                first = false;
                sb.Append(k).Append("=\"").Append(EscapeLabelValue(v)).Append('"');
            }
            if (le is not null)
            {
                if (!first) sb.Append(',');
                sb.Append("le=\"").Append(le).Append('"');
            }
            sb.Append('}');
        }
        sb.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <summary>Valid, unique label names in name order; "le" is reserved for histogram buckets.</summary>
    private static List<KeyValuePair<string, string>> Labels(IReadOnlyList<KeyValuePair<string, string>> labels, bool histogram)
    {
        var result = new List<KeyValuePair<string, string>>(labels.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in labels)
        {
            var name = LabelName(k);
            if (histogram && name == "le") continue;
            if (names.Add(name)) result.Add(new(name, v ?? ""));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    private static string LabelKey(List<KeyValuePair<string, string>> labels)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in labels) sb.Append(k).Append('\0').Append(v).Append('\0');
        return sb.ToString();
    }

    private static string TypeName(MetricType t) => t switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        _ => "untyped",
    };

    /// <summary>Formats a sample value: integers without a fraction, +Inf, -Inf and NaN as the format spells them.</summary>
    internal static string Number(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : double.IsNaN(v) ? "NaN"
        : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*: other characters become '_'.</summary>
    internal static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A label name matching [a-zA-Z_][a-zA-Z0-9_]*: other characters become '_'.</summary>
    internal static string LabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name)) return "_";
        var sb = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0])) sb.Append('_');
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        return sb.ToString();
    }

    /// <summary>HELP text escapes backslash and line feed.</summary>
    internal static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    internal static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
