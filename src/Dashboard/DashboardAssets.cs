using System.Security.Cryptography;

namespace Steep.Dashboard;

/// <summary>One built file of the dashboard, read once from the assembly's resources.</summary>
internal sealed record DashboardAsset(string Path, byte[] Content, string ContentType, string ETag, bool Immutable);

/// <summary>The dashboard's built files (Vite's dist/), embedded in this assembly under <c>dashboard/</c>.</summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Lazy<IReadOnlyDictionary<string, DashboardAsset>> All = new(Load);

    /// <summary>The asset at a request path such as <c>/assets/index-abc.js</c>, or null.</summary>
    public static DashboardAsset? Find(string path) => All.Value.GetValueOrDefault(path);

    private static Dictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var result = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            // resource names keep the directory separators of the machine that built them
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var etag = "\"" + Convert.ToHexString(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            // Vite names everything under assets/ by content hash, so those files never change under their name
            bool immutable = path.StartsWith("/assets/", StringComparison.Ordinal);
            result[path] = new DashboardAsset(path, bytes, ContentType(path), etag, immutable);
        }
        return result;
    }

    private static string ContentType(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json",
        ".map" => "application/json",
        ".woff2" => "font/woff2",
        _ => "application/octet-stream",
    };

}
