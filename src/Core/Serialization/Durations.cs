using System.Globalization;
using System.Text.RegularExpressions;

namespace Steep.Core.Serialization;

/// <summary>Parses durations given as milliseconds, "1h 30m 10s 500ms"-style strings or ISO 8601 ("PT1M").</summary>
public static partial class Durations
{
    /// <summary>Parses <paramref name="text"/> into milliseconds.</summary>
    public static bool TryParseMillis(string text, out long millis)
    {
        millis = 0;
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out millis)) return true;
        if (text.StartsWith("P", StringComparison.OrdinalIgnoreCase))
        {
            try { millis = (long)System.Xml.XmlConvert.ToTimeSpan(text).TotalMilliseconds; return true; }
            catch (FormatException) { return false; }
        }
        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)).Replace(" ", "") != text.Replace(" ", ""))
            return false;
        double total = 0;
        foreach (Match m in matches)
        {
            double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += n * m.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" or "millis" or "milliseconds" => 1,
                "s" or "sec" or "secs" or "second" or "seconds" => 1000,
                "m" or "min" or "mins" or "minute" or "minutes" => 60_000,
                "h" or "hour" or "hours" => 3_600_000,
                "d" or "day" or "days" => 86_400_000,
                _ => double.NaN,
            };
        }
        if (double.IsNaN(total)) return false;
        millis = (long)total;
        return true;
    }

    [GeneratedRegex(@"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*")]
    private static partial Regex Part();
}
