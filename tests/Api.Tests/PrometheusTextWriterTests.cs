using Steep.Api.Metrics;

namespace Steep.Api.Tests;

public sealed class PrometheusTextWriterTests
{
    private static KeyValuePair<string, string> L(string k, string v) => new(k, v);

    private static MetricSeries S(double value, params KeyValuePair<string, string>[] labels) => new(labels, value);

    [Fact]
    public void CountersAndGaugesHaveHelpAndTypeOnceAndOneLinePerSeries()
    {
        var text = PrometheusTextWriter.Write([
            new MetricFamily("jobs_total", "Jobs done", MetricType.Counter, [S(3, L("status", "ok")), S(1, L("status", "failed"))]),
            new MetricFamily("queue_length", "Queued jobs", MetricType.Gauge, [S(7)]),
        ]);
        Assert.Equal("""
            # HELP jobs_total Jobs done
            # TYPE jobs_total counter
            jobs_total{status="ok"} 3
            jobs_total{status="failed"} 1
            # HELP queue_length Queued jobs
            # TYPE queue_length gauge
            queue_length 7

            """.Replace("\r", ""), text);
    }

    [Fact]
    public void FamiliesOfTheSameNameAreMergedAndDuplicateSeriesDropped()
    {
        var text = PrometheusTextWriter.Write([
            new MetricFamily("x", "first", MetricType.Gauge, [S(1, L("a", "1")), S(2, L("a", "1"))]),
            new MetricFamily("x", "second", MetricType.Gauge, [S(3, L("a", "2")), S(4, L("a", "1"))]),
            new MetricFamily("x", "another type", MetricType.Counter, [S(5, L("a", "3"))]),
        ]);
        Assert.Equal(1, Count(text, "# HELP x "));
        Assert.Equal(1, Count(text, "# TYPE x "));
        Assert.Contains("# HELP x first\n", text);
        Assert.Contains("x{a=\"1\"} 1\n", text);
        Assert.Contains("x{a=\"2\"} 3\n", text);
        Assert.DoesNotContain("x{a=\"1\"} 2", text);
        Assert.DoesNotContain("x{a=\"1\"} 4", text);
        Assert.DoesNotContain("a=\"3\"", text);
    }

    [Fact]
    public void LabelOrderDoesNotMakeADifferentSeries()
    {
        var text = PrometheusTextWriter.Write([
            new MetricFamily("y", "h", MetricType.Gauge, [S(1, L("b", "2"), L("a", "1")), S(2, L("a", "1"), L("b", "2"))]),
        ]);
        Assert.Equal("# HELP y h\n# TYPE y gauge\ny{a=\"1\",b=\"2\"} 1\n", text);
    }

    [Fact]
    public void LabelValuesAndHelpAreEscaped()
    {
        var text = PrometheusTextWriter.Write([
            new MetricFamily("z", "line one\nback\\slash \"quoted\"", MetricType.Gauge, [S(1, L("path", "C:\\dir\n\"x\""))]),
        ]);
        Assert.Contains("# HELP z line one\\nback\\\\slash \"quoted\"\n", text);
        Assert.Contains("z{path=\"C:\\\\dir\\n\\\"x\\\"\"} 1\n", text);
    }

    [Fact]
    public void InvalidNamesAreMadeValid()
    {
        var text = PrometheusTextWriter.Write([
            new MetricFamily("9 bad-name.total", "h", MetricType.Counter, [S(1, L("bad label", "v"), L("1st", "w"), L("ok:no", "u"))]),
        ]);
        Assert.Contains("# TYPE _9_bad_name_total counter\n", text);
        Assert.Contains("_9_bad_name_total{_1st=\"w\",bad_label=\"v\",ok_no=\"u\"} 1\n", text);
        Assert.Equal("a:b", PrometheusTextWriter.MetricName("a:b"));
        Assert.Equal("a_b", PrometheusTextWriter.LabelName("a:b"));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(42.0, "42")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1E+21")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void NumbersAreWrittenAsTheFormatSpellsThem(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.Number(value));

    [Fact]
    public void HistogramsHaveCumulativeBucketsEndingInInfThenSumAndCount()
    {
        var h = new HistogramValue([0.5, 1, 5], [2, 0, 3, 1], 12.25, 6);
        var text = PrometheusTextWriter.Write([
            new MetricFamily("d_seconds", "Durations", MetricType.Histogram, [new MetricSeries([L("service", "cp")], 0, h)]),
        ]);
        Assert.Equal("""
            # HELP d_seconds Durations
            # TYPE d_seconds histogram
            d_seconds_bucket{service="cp",le="0.5"} 2
            d_seconds_bucket{service="cp",le="1"} 2
            d_seconds_bucket{service="cp",le="5"} 5
            d_seconds_bucket{service="cp",le="+Inf"} 6
            d_seconds_sum{service="cp"} 12.25
            d_seconds_count{service="cp"} 6

            """.Replace("\r", ""), text);
    }

    [Fact]
    public void AHistogramLabelCalledLeIsDroppedAndAnInfBoundIsWrittenOnce()
    {
        var h = new HistogramValue([1, double.PositiveInfinity], [1, 1, 0], 3, 2);
        var text = PrometheusTextWriter.Write([
            new MetricFamily("h", "x", MetricType.Histogram, [new MetricSeries([L("le", "oops")], 0, h), new MetricSeries([], 0, null)]),
        ]);
        Assert.DoesNotContain("oops", text);
        Assert.Equal(1, Count(text, "le=\"+Inf\""));
        Assert.Contains("h_bucket{le=\"1\"} 1\n", text);
        Assert.Contains("h_count 2\n", text);
    }

    [Fact]
    public void AnEmptyFamilyStillHasItsHelpAndType()
    {
        var text = PrometheusTextWriter.Write([new MetricFamily("nothing_yet", "Nothing", MetricType.Histogram, [])]);
        Assert.Equal("# HELP nothing_yet Nothing\n# TYPE nothing_yet histogram\n", text);
    }

    private static int Count(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
