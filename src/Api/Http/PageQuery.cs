using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Steep.Api.Http;

/// <summary>The paging and filter parameters of list endpoints (<c>size</c>, <c>offset</c>, <c>status</c>), checked.</summary>
internal sealed record PageQuery(int Size, int Offset, string? Status)
{
    public const int DefaultSize = 10;

    /// <summary>Reads the parameters; on a bad value returns null and a message that names the parameter and the fix.</summary>
    public static PageQuery? Parse(IQueryCollection query, IReadOnlyList<string> statuses, string what, out string? error)
    {
        error = null;
        if (!TryInt(query, "size", DefaultSize, out int size, ref error) | !TryInt(query, "offset", 0, out int offset, ref error))
            return null;
        string? status = null;
        if (query.TryGetValue("status", out var values))
        {
            if (values.Count != 1)
            {
                error = "Parameter 'status' may be given only once";
                return null;
            }
            var s = values[0]?.Trim() ?? "";
            status = statuses.FirstOrDefault(x => string.Equals(x, s, StringComparison.OrdinalIgnoreCase));
            if (status is null)
            {
                error = $"Invalid value for parameter 'status': '{Shorten(s)}'. Valid {what} statuses are: {string.Join(", ", statuses)}";
                return null;
            }
        }
        return new PageQuery(size, offset, status);
    }

    /// <summary>Sets <c>x-page-size</c>, <c>x-page-offset</c> and <c>x-page-total</c>.</summary>
    public void SetHeaders(HttpResponse response, int total)
    {
        response.Headers["x-page-size"] = Size.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-page-offset"] = Offset.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-page-total"] = total.ToString(CultureInfo.InvariantCulture);
    }

    private static bool TryInt(IQueryCollection query, string name, int fallback, out int value, ref string? error)
    {
        value = fallback;
        if (!query.TryGetValue(name, out var values)) return true;
        if (values.Count != 1)
        {
            error ??= $"Parameter '{name}' may be given only once";
            return false;
        }
        var s = values[0]?.Trim() ?? "";
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;
        value = fallback;
        error ??= $"Invalid value for parameter '{name}': '{Shorten(s)}'. It must be a whole number from 0 to {int.MaxValue}";
        return false;
    }

    /// <summary>Echoes at most a few characters of what the client sent.</summary>
    internal static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
