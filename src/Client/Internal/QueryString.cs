using System.Globalization;
using System.Text;

namespace Steep.Client.Internal;

/// <summary>Builds relative request paths with escaped path segments and query parameters.</summary>
internal static class QueryString
{
    /// <summary>The path followed by the parameters that have a value, escaped.</summary>
    public static string Build(string path, params (string Name, object? Value)[] parameters)
    {
        var sb = new StringBuilder(path);
        char separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null) continue;
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            sb.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(text));
            separator = '&';
        }
        return sb.ToString();
    }

    /// <summary>A path segment such as an id, escaped so that '/' or '?' in it cannot change the route.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}
