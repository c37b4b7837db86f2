using System.Globalization;
using System.Text.RegularExpressions;

namespace Steep.Core.Tests.Conformance;

/// <summary>check.py's normalisations: norm_str, norm_path, duration_ms and the trailing-id pattern.</summary>
internal static partial class CheckRules
{
    /// <summary>Compares paths modulo repeated and trailing slashes ("/tmp/a/" == "/tmp/a"); other values unchanged.</summary>
    public static object? NormPath(object? v)
    {
        if (v is not string s || !s.Contains('/')) return v;
        s = Slashes().Replace(s, "/");
        return s.Length > 1 && s.EndsWith('/') ? s[..^1] : s;
    }

    /// <summary>Booleans lower-case, None stays None, everything else its Python <c>str()</c>.</summary>
    public static string? NormStr(object? v) => v switch
    {
        bool b => b ? "true" : "false",
        null => null,
        _ => Py.Str(v),
    };

    /// <summary>Milliseconds as a double, or the (stripped) text when it is no duration check.py knows; null for None.</summary>
    public static object? DurationMs(object? v)
    {
        if (v is null) return null;
        if (Py.IsNumber(v)) return Py.ToDouble(v);
        var s = Py.Str(v).Trim();
        var m = Simple().Match(s);
        if (m.Success)
        {
            double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return n * (m.Groups[2].Value switch { "ms" => 1, "s" => 1000, "m" => 60000, "h" => 3600000, _ => 1 });
        }
        m = Iso().Match(s);
        if (m.Success)
        {
            long h = m.Groups[1].Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            long mi = m.Groups[2].Success ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            double se = m.Groups[3].Success ? double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            return ((h * 60 + mi) * 60 + se) * 1000;
        }
        return s;
    }

    /// <summary><c>TRAILING_ID.sub("", v)</c>: the stem of an expected generated name.</summary>
    public static string Stem(string v) => TrailingId().Replace(v, "");

    [GeneratedRegex("/+")]
    private static partial Regex Slashes();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$")]
    private static partial Regex Simple();

    [GeneratedRegex(@"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")]
    private static partial Regex Iso();

    [GeneratedRegex(@"\d+$")]
    private static partial Regex TrailingId();
}
