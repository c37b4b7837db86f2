using System.Globalization;

namespace Steep.Core.Tests.Conformance;

/// <summary>
/// The bits of Python value semantics check.py relies on. Documents are trees of <see cref="PyDict"/>,
/// <c>List&lt;object?&gt;</c>, string, bool, long, double and null, as PyYAML and json.loads build them; porting the
/// judge onto that shape keeps its rules (truthiness, <c>str()</c>, equality of 1 and 1.0) exactly.
/// </summary>
internal static class Py
{
    /// <summary>Python truthiness: None, False, 0, "", [] and {} are false.</summary>
    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> l => l.Count > 0,
        PyDict d => d.Count > 0,
        _ => true,
    };

    /// <summary><c>a or b</c>.</summary>
    public static object? Or(object? a, object? b) => Truthy(a) ? a : b;

    /// <summary><c>(v or {})</c> where v is expected to be a mapping.</summary>
    public static PyDict DictOrEmpty(object? v) => Truthy(v) && v is PyDict d ? d : new PyDict();

    /// <summary><c>(v or [])</c> where v is expected to be a list.</summary>
    public static List<object?> ListOrEmpty(object? v) => Truthy(v) && v is List<object?> l ? l : [];

    /// <summary><c>d.get(key, default)</c> on a value that should be a mapping.</summary>
    public static object? Get(object? d, object? key, object? dflt = null) => d is PyDict dict ? dict.Get(key, dflt) : dflt;

    /// <summary>Python <c>==</c>: numbers (and bools) compare by value across types.</summary>
    public static bool Eq(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (IsNumber(a) && IsNumber(b)) return ToDouble(a) == ToDouble(b);
        if (a is List<object?> la && b is List<object?> lb)
            return la.Count == lb.Count && la.Zip(lb).All(p => Eq(p.First, p.Second));
        return a.Equals(b);
    }

    /// <summary>A hash consistent with <see cref="Eq"/>.</summary>
    public static int Hash(object? v) => v switch
    {
        null => 0,
        _ when IsNumber(v) => ToDouble(v).GetHashCode(),
        _ => v.GetHashCode(),
    };

    public static bool IsNumber(object v) => v is long or double or bool;

    public static double ToDouble(object v) => v switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => d,
        _ => throw new ArgumentException($"not a number: {v}"),
    };

    /// <summary>Python <c>str()</c>.</summary>
    public static string Str(object? v) => v switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        List<object?> l => "[" + string.Join(", ", l.Select(Repr)) + "]",
        PyDict d => "{" + string.Join(", ", d.Select(p => Repr(p.Key) + ": " + Repr(p.Value))) + "}",
        _ => v.ToString() ?? "",
    };

    private static string Repr(object? v) => v is string s ? "'" + s + "'" : Str(v);

    /// <summary>Python's shortest round-trip float text ("1.0", "1e+16", "1e-05").</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        // "R" gives the shortest round-trip digits; re-lay them out with Python's switch to exponent notation
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        bool negative = r.StartsWith('-');
        if (negative) r = r[1..];
        int exp = 0;
        int e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            r = r[..e];
        }
        int dot = r.IndexOf('.');
        var digits = dot < 0 ? r : r.Remove(dot, 1);
        int point = (dot < 0 ? r.Length : dot) + exp; // value = 0.digits * 10^point
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        point -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) { digits = "0"; point = 1; }
        string body;
        if (point < -3 || point > 16)
        {
            int x = point - 1;
            body = digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (x < 0 ? "-" : "+") +
                Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
        }
        else if (point <= 0) body = "0." + new string('0', -point) + digits;
        else if (point >= digits.Length) body = digits + new string('0', point - digits.Length) + ".0";
        else body = digits[..point] + "." + digits[point..];
        return (negative ? "-" : "") + body;
    }
}
