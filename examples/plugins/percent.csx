// progress estimator: reads lines such as "42%" (the newest line is last).
public sealed class Percent : IProgressEstimator
{
    public double? Estimate(Executable executable, IReadOnlyList<string> recentLines)
    {
        var line = recentLines[^1].Trim();
        if (!line.EndsWith('%')) return null;
        return double.TryParse(line[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p)
            ? p / 100.0 : null;
    }
}
