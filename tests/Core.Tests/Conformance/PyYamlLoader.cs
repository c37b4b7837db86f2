using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Steep.Core.Tests.Conformance;

/// <summary>
/// Loads YAML as PyYAML's safe_load does (YAML 1.1 scalar resolution: "yes" is true, "1e3" is a string, "1.0" a
/// float), so that expected values reach the matching rules with the types check.py sees. Timestamps stay strings.
/// </summary>
internal static partial class PyYamlLoader
{
    public static object? LoadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader);
    }

    public static object? LoadText(string yaml) => Load(new StringReader(yaml));

    private static object? Load(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ToDict(map),
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlScalarNode s => Scalar(s),
        _ => null,
    };

    private static PyDict ToDict(YamlMappingNode map)
    {
        var d = new PyDict();
        foreach (var (k, v) in map.Children) d[Convert(k)] = Convert(v);
        return d;
    }

    private static object? Scalar(YamlScalarNode s)
    {
        var text = s.Value ?? "";
        if (s.Style != YamlDotNet.Core.ScalarStyle.Plain) return text;
        if (!s.Tag.IsEmpty) return s.Tag.Value == "tag:yaml.org,2002:str" ? text : Resolve(text);
        return Resolve(text);
    }

    private static object? Resolve(string t)
    {
        if (t is "" or "~" or "null" or "Null" or "NULL") return null;
        if (t is "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON") return true;
        if (t is "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF") return false;
        if (IntPattern().IsMatch(t)) return ToInt(t);
        if (FloatPattern().IsMatch(t)) return ToFloat(t);
        return t;
    }

    private static object ToInt(string t)
    {
        var v = t.Replace("_", "");
        int sign = 1;
        if (v[0] is '-' or '+') { if (v[0] == '-') sign = -1; v = v[1..]; }
        BigInteger n;
        if (v == "0") n = 0;
        else if (v.StartsWith("0b")) n = v[2..].Aggregate(BigInteger.Zero, (a, c) => a * 2 + (c - '0'));
        else if (v.StartsWith("0x")) n = BigInteger.Parse("0" + v[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        else if (v[0] == '0') n = v[1..].Aggregate(BigInteger.Zero, (a, c) => a * 8 + (c - '0'));
        else if (v.Contains(':')) n = v.Split(':').Aggregate(BigInteger.Zero, (a, p) => a * 60 + BigInteger.Parse(p, CultureInfo.InvariantCulture));
        else n = BigInteger.Parse(v, CultureInfo.InvariantCulture);
        n *= sign;
        return n >= long.MinValue && n <= long.MaxValue ? (object)(long)n : (double)n;
    }

    private static double ToFloat(string t)
    {
        var v = t.Replace("_", "").ToLowerInvariant();
        double sign = 1;
        if (v[0] is '-' or '+') { if (v[0] == '-') sign = -1; v = v[1..]; }
        if (v == ".inf") return sign * double.PositiveInfinity;
        if (v == ".nan") return double.NaN;
        if (v.Contains(':'))
            return sign * v.Split(':').Aggregate(0.0, (a, p) => a * 60 + double.Parse(p, CultureInfo.InvariantCulture));
        return sign * double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    // PyYAML's implicit resolvers for int and float
    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();
}
