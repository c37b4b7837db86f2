using System.Globalization;
using System.Text.Json.Nodes;
using Steep.Core.Models;

namespace Steep.Core.Serialization;

/// <summary>
/// The structural check of service metadata (a list of services, or one) before it is bound to the models: every
/// field null, empty, of the wrong type, out of range or missing where it is required, all at once, each with its path
/// (<c>[0].parameters[1].cardinality</c>) and what to do.
/// </summary>
public static class ServiceShapeCheck
{
    private const string ServiceExample = "{id: cp, name: Copy, description: Copies files, path: cp, runtime: other, parameters: [...]}";
    private const string ParameterExample = "{id: input_file, name: Input, description: The file to copy, type: input, cardinality: 1..1, data_type: file}";
    private const string RuntimeArgExample = "{id: volume, name: Volume, description: A mounted volume, label: -v, value: /data:/data}";

    /// <summary>Every shape problem of <paramref name="root"/> (parsed service metadata), as "path: problem; fix".</summary>
    public static IReadOnlyList<string> Check(JsonNode? root)
    {
        var c = new ShapeCheck();
        switch (root)
        {
            case null:
                break; // an empty file: no services
            case JsonArray list:
                for (int i = 0; i < list.Count; i++) Service(c, list[i], $"[{I(i)}]");
                break;
            case JsonObject:
                Service(c, root, "service");
                break;
            default:
                c.Add("services", $"is {ShapeCheck.Kind(root)}, but service metadata must be a list of services such as [{ServiceExample}]");
                break;
        }
        return c.Problems;
    }

    private static void Service(ShapeCheck c, JsonNode? node, string path)
    {
        var s = c.Object(node, path, ServiceExample);
        if (s is null) return;
        var id = c.String(s, path, "id", required: true, "give the service a unique id");
        // named by id too: in a long file the position alone is hard to find
        if (id is not null && path.StartsWith('[')) path = $"{path} (service '{ShapeCheck.Short(id)}')";
        c.String(s, path, "name", required: false, "write a human-readable name", allowEmpty: true);
        c.String(s, path, "description", required: false, "write a description", allowEmpty: true, maxLength: ShapeCheck.MaxLongTextLength);
        c.String(s, path, "path", required: true, "give the program to run (or the Docker image)");
        c.String(s, path, "runtime", required: false, "write other or docker");
        if (c.List(s, path, "parameters", required: false, $"[{ParameterExample}]") is { } parameters)
        {
            for (int i = 0; i < parameters.Count; i++) Parameter(c, parameters[i], $"{ShapeCheck.Join(path, "parameters")}[{I(i)}]");
        }
        if (c.List(s, path, "runtime_args", required: false, $"[{RuntimeArgExample}]") is { } args)
        {
            for (int i = 0; i < args.Count; i++) RuntimeArg(c, args[i], $"{ShapeCheck.Join(path, "runtime_args")}[{I(i)}]");
        }
        if (c.List(s, path, "required_capabilities", required: false, "[docker, gpu]") is { } caps)
            c.StringItems(caps, ShapeCheck.Join(path, "required_capabilities"), "name a capability an agent must have");
        c.Retries(s, path);
    }

    private static void Parameter(ShapeCheck c, JsonNode? node, string path)
    {
        var p = c.Object(node, path, ParameterExample);
        if (p is null) return;
        c.String(p, path, "id", required: true, "give the parameter a unique id");
        c.String(p, path, "name", required: false, "write a human-readable name", allowEmpty: true);
        c.String(p, path, "description", required: false, "write a description", allowEmpty: true, maxLength: ShapeCheck.MaxLongTextLength);
        var type = c.String(p, path, "type", required: false, "write input, output or argument");
        if (type is not null && type is not (ArgumentTypes.Input or ArgumentTypes.Output or ArgumentTypes.Argument))
            c.Add(ShapeCheck.Join(path, "type"), $"'{ShapeCheck.Short(type)}' is not a parameter type; write input, output or argument");
        var cardinality = c.String(p, path, "cardinality", required: false, "write min..max such as 1..1, 0..1 or 1..n");
        if (cardinality is not null && !Cardinality.TryParse(cardinality, out _))
            c.Add(ShapeCheck.Join(path, "cardinality"), $"'{ShapeCheck.Short(cardinality)}' is not a cardinality; write min..max such as 1..1, 0..1 or 1..n");
        c.String(p, path, "data_type", required: false, "write a data type such as string, file, directory or boolean");
        c.String(p, path, "file_suffix", required: false, "write a suffix such as .txt", allowEmpty: true);
        c.String(p, path, "label", required: false, "write the label put before the value, such as --input", allowEmpty: true);
        // 'default' may be any value
    }

    private static void RuntimeArg(ShapeCheck c, JsonNode? node, string path)
    {
        var a = c.Object(node, path, RuntimeArgExample);
        if (a is null) return;
        c.String(a, path, "id", required: true, "give the runtime argument a unique id");
        c.String(a, path, "name", required: false, "write a human-readable name", allowEmpty: true);
        c.String(a, path, "description", required: false, "write a description", allowEmpty: true, maxLength: ShapeCheck.MaxLongTextLength);
        c.String(a, path, "data_type", required: false, "write a data type such as string or boolean");
        c.String(a, path, "label", required: false, "write the label put before the value, such as -v", allowEmpty: true);
        c.String(a, path, "value", required: false, "write the value as a string", allowEmpty: true);
    }

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);
}
