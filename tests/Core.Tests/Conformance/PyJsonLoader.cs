using System.Text.Json;

namespace Steep.Core.Tests.Conformance;

/// <summary>Loads JSON as Python's json.loads does: integers stay integers, numbers with '.' or an exponent are floats.</summary>
internal static class PyJsonLoader
{
    public static object? Load(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        return Convert(doc.RootElement);
    }

    private static object? Convert(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var d = new PyDict();
                foreach (var p in e.EnumerateObject()) d[p.Name] = Convert(p.Value);
                return d;
            case JsonValueKind.Array:
                return e.EnumerateArray().Select(Convert).ToList();
            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && e.TryGetInt64(out var l)) return l;
                return e.GetDouble();
            default:
                return null;
        }
    }
}
