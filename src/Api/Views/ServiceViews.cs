using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Api.Views;

/// <summary>
/// Service metadata as Steep 6 writes it: camelCase (<c>dataType</c>, <c>fileSuffix</c>, <c>runtimeArgs</c>,
/// <c>requiredCapabilities</c>). The model keeps Steep 5's snake_case names, which files may still use.
/// </summary>
internal static class ServiceViews
{
    public static JsonObject From(Service service)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(service, SteepJson.Options)!;
        Rename(node, "runtime_args", "runtimeArgs");
        Rename(node, "required_capabilities", "requiredCapabilities");
        foreach (var p in node["parameters"] as JsonArray ?? [])
        {
            if (p is not JsonObject parameter) continue;
            Rename(parameter, "data_type", "dataType");
            Rename(parameter, "file_suffix", "fileSuffix");
        }
        foreach (var a in node["runtimeArgs"] as JsonArray ?? [])
            if (a is JsonObject argument) Rename(argument, "data_type", "dataType");
        return node;
    }

    private static void Rename(JsonObject o, string from, string to)
    {
        if (!o.TryGetPropertyValue(from, out var value)) return;
        // rebuilding keeps the field where it was, so the document reads in Steep's order
        var entries = o.ToList();
        o.Clear();
        foreach (var (key, v) in entries) o[key == from ? to : key] = key == from ? value : v;
    }
}
