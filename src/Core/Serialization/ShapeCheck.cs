using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Steep.Core.Serialization;

/// <summary>
/// Collects the shape problems of a parsed JSON tree (a field missing, null, empty, of the wrong type or too large),
/// each as "path: what is wrong; what to do". Checking the tree before binding it to the models means every problem
/// is reported at once, with the path users see in their file, and that no model ever holds a null where the rest
/// of the program (the validator, the generator) counts on a value.
/// </summary>
internal sealed class ShapeCheck
{
    /// <summary>The longest identifier, reference, path or label accepted: far above any real one, far below memory.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>The longest free text (descriptions).</summary>
    public const int MaxLongTextLength = 64 * 1024;

    /// <summary>How many problems are listed; a hostile document can have millions, and the answer must stay small.</summary>
    public const int MaxProblems = 100;

    private readonly List<string> _problems = [];
    private int _more;

    /// <summary>Every problem found (up to <see cref="MaxProblems"/>, then how many more), in document order.</summary>
    public IReadOnlyList<string> Problems =>
        _more == 0 ? _problems : [.. _problems, $"... and {_more.ToString(CultureInfo.InvariantCulture)} more problems of the same kind; fix the ones above first"];

    public void Add(string path, string problem)
    {
        if (_problems.Count < MaxProblems) _problems.Add($"{path}: {problem}");
        else _more++;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>How a value is named in messages: "null", "a list", "a string", ...</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

    /// <summary>The node as an object, or null after reporting what it is instead.</summary>
    public JsonObject? Object(JsonNode? node, string path, string example)
    {
        if (node is JsonObject o) return o;
        Add(path, node is null
            ? $"is empty (null); write an object such as {example}, or remove the entry"
            : $"is {Kind(node)}, but it must be an object such as {example}");
        return null;
    }

    /// <summary>
    /// The field's value when it is present and not null; a missing field is reported when <paramref name="required"/>,
    /// a null one always (an empty YAML key is almost always a forgotten value).
    /// </summary>
    private bool Present(JsonObject obj, string path, string key, bool required, string hint, out JsonNode value)
    {
        value = null!;
        var p = Join(path, key);
        if (!obj.TryGetPropertyValue(key, out var v))
        {
            if (required) Add(p, $"is missing; {hint}");
            return false;
        }
        if (v is null)
        {
            Add(p, required ? $"is empty (null); {hint}" : $"is empty (null); {hint}, or remove '{key}'");
            return false;
        }
        value = v;
        return true;
    }

    /// <summary>A string field; empty (blank) strings are reported unless <paramref name="allowEmpty"/>.</summary>
    public string? String(JsonObject obj, string path, string key, bool required, string hint, bool allowEmpty = false,
        int maxLength = MaxTextLength)
    {
        if (!Present(obj, path, key, required, hint, out var v)) return null;
        var p = Join(path, key);
        if (v is not JsonValue jv || jv.GetValueKind() != JsonValueKind.String)
        {
            Add(p, $"is {Kind(v)}, but it must be a string; {hint}");
            return null;
        }
        var s = jv.GetValue<string>();
        if (!allowEmpty && string.IsNullOrWhiteSpace(s))
        {
            Add(p, $"is empty; {hint}");
            return null;
        }
        if (s.Length > maxLength)
        {
            Add(p, $"is {s.Length.ToString(CultureInfo.InvariantCulture)} characters long, more than the {maxLength.ToString(CultureInfo.InvariantCulture)} allowed; {hint}");
            return null;
        }
        return s;
    }

    /// <summary>A string given as a string or a number (YAML reads <c>api: 4.0</c> as a number).</summary>
    public void StringOrNumber(JsonObject obj, string path, string key, string hint)
    {
        if (!Present(obj, path, key, required: false, hint, out var v)) return;
        if (v is JsonValue jv && jv.GetValueKind() == JsonValueKind.Number) return;
        String(obj, path, key, required: false, hint);
    }

    /// <summary>A whole number within <paramref name="min"/>..<paramref name="max"/> (a string of digits too).</summary>
    public void Integer(JsonObject obj, string path, string key, string hint, long min = int.MinValue, long max = int.MaxValue)
    {
        if (!Present(obj, path, key, required: false, hint, out var v)) return;
        var p = Join(path, key);
        string? text = v is JsonValue jv ? jv.GetValueKind() switch
        {
            JsonValueKind.Number => jv.ToJsonString(),
            JsonValueKind.String => jv.GetValue<string>(),
            _ => null,
        } : null;
        if (text is null)
        {
            Add(p, $"is {Kind(v)}, but it must be a whole number; {hint}");
            return;
        }
        var range = $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
        {
            bool numeric = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d);
            Add(p, numeric && Math.Abs(d) >= 1e18 ? $"{Short(text)} is too large; use a whole number {range}"
                : $"'{Short(text)}' is not a whole number; {hint}");
            return;
        }
        if (n < min || n > max) Add(p, $"{n.ToString(CultureInfo.InvariantCulture)} is out of range; use a whole number {range}");
    }

    /// <summary>A boolean field (true or false).</summary>
    public void Boolean(JsonObject obj, string path, string key, string hint)
    {
        if (!Present(obj, path, key, required: false, hint, out var v)) return;
        if (v is JsonValue jv && jv.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return;
        Add(Join(path, key), $"is {Kind(v)}, but it must be true or false; {hint}");
    }

    /// <summary>A duration: milliseconds, or a string such as "10s", "5m" or "PT1M".</summary>
    public void Duration(JsonObject obj, string path, string key)
    {
        const string hint = "give milliseconds or a duration such as '10s', '5m' or 'PT1M'";
        const double max = 1e15; // about 31,000 years: anything above is a mistake, and it still fits every conversion
        if (!Present(obj, path, key, required: false, hint, out var v)) return;
        var p = Join(path, key);
        if (v is JsonValue jv && jv.GetValueKind() == JsonValueKind.Number)
        {
            bool parsed = double.TryParse(jv.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d);
            if (!parsed || !double.IsFinite(d) || d < 0 || d > max) Add(p, $"{Short(jv.ToJsonString())} is out of range; {hint} (0 or more)");
            return;
        }
        if (v is not JsonValue sv || sv.GetValueKind() != JsonValueKind.String)
        {
            Add(p, $"is {Kind(v)}, but it must be a duration; {hint}");
            return;
        }
        var text = sv.GetValue<string>();
        bool ok;
        long ms = 0;
        try
        {
            ok = text.Length <= 100 && Durations.TryParseMillis(text, out ms);
        }
        catch (Exception e) when (e is OverflowException or FormatException or ArgumentException)
        {
            ok = false;
        }
        if (!ok || ms < 0 || ms > max) Add(p, $"'{Short(text)}' is not a valid duration; {hint}");
    }

    /// <summary>A list field; null and other types are reported.</summary>
    public JsonArray? List(JsonObject obj, string path, string key, bool required, string example)
    {
        if (!Present(obj, path, key, required, $"write a list such as {example}", out var v)) return null;
        if (v is JsonArray a) return a;
        Add(Join(path, key), $"is {Kind(v)}, but it must be a list such as {example}");
        return null;
    }

    /// <summary>The items of a list that must all be non-empty strings.</summary>
    public void StringItems(JsonArray list, string path, string hint)
    {
        for (int i = 0; i < list.Count; i++)
        {
            var p = $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var item = list[i];
            if (item is JsonValue jv && jv.GetValueKind() == JsonValueKind.String)
            {
                var s = jv.GetValue<string>();
                if (string.IsNullOrWhiteSpace(s)) Add(p, $"is empty; {hint}");
                else if (s.Length > MaxTextLength) Add(p, $"is {s.Length.ToString(CultureInfo.InvariantCulture)} characters long, more than the {MaxTextLength.ToString(CultureInfo.InvariantCulture)} allowed; {hint}");
            }
            else Add(p, item is null ? $"is empty (null); {hint}, or remove the entry" : $"is {Kind(item)}, but it must be a string; {hint}");
        }
    }

    /// <summary>A retry policy (<c>retries</c>) of an action or a service.</summary>
    public void Retries(JsonObject obj, string path)
    {
        if (!obj.ContainsKey("retries")) return;
        var p = Join(path, "retries");
        var r = Object(obj["retries"], p, "{maxAttempts: 3, delay: 10s}");
        if (r is null) return;
        Integer(r, p, "maxAttempts", "give the total number of attempts (1 = no retry, -1 = unlimited)", min: -1);
        Duration(r, p, "delay");
        Integer(r, p, "exponentialBackoff", "give the factor by which the delay grows (1 = constant)", min: 1);
        Duration(r, p, "maxDelay");
    }

    /// <summary>A message-sized excerpt of a value that may be huge.</summary>
    public static string Short(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
