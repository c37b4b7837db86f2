using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Generator;
using Steep.Core.Macros;
using Steep.Core.Serialization;

namespace Steep.Silo.Commands;

/// <summary><c>steep plan</c>: one generator step as a dry run, with the generator state kept in a file.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (YAML or JSON)" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files (default: conf/services/*)", AllowMultipleArgumentsPerToken = true };
        var state = new Option<string?>("--state") { Description = "Generator state file: loaded if it exists, saved after the step" };
        var results = new Option<string?>("--results") { Description = "JSON object: output variable id -> list of result values of the previous step" };
        var executed = new Option<string?>("--executed") { Description = "JSON list of the ids of executables that succeeded" };
        var tmpPath = new Option<string?>("--tmp-path") { Description = "Base directory of temporary outputs (default /tmp)" };
        var outPath = new Option<string?>("--out-path") { Description = "Base directory of stored outputs (default /out)" };
        var macros = CliFiles.MacrosOption();
        var cmd = new Command("plan", "Show the process chains the next step of a workflow produces (a dry run; nothing is executed)")
        {
            workflow, services, state, results, executed, tmpPath, outPath, macros,
        };
        cmd.SetAction(pr => CommandErrors.Run(() =>
        {
            var svc = CliFiles.ReadServices(pr.GetValue(services));
            var statePath = pr.GetValue(state);
            ProcessChainGenerator generator;
            if (statePath is not null && File.Exists(statePath) && new FileInfo(statePath).Length > 0)
            {
                generator = ProcessChainGenerator.Load(File.ReadAllBytes(statePath), svc);
            }
            else
            {
                // include actions are expanded once, before the first step; the saved state holds the expanded actions
                var wf = MacroPreprocessor.Expand(CliFiles.ReadWorkflow(pr.GetValue(workflow)!), CliFiles.ReadMacros(pr.GetValue(macros)));
                generator = new ProcessChainGenerator(wf, svc, new GeneratorOptions());
            }
            if (pr.GetValue(tmpPath) is { } tp) generator.TmpPath = tp;
            if (pr.GetValue(outPath) is { } op) generator.OutPath = op;

            // "finished" is only reported by a step that starts finished and produces nothing: the step that consumes
            // the last results still answers false, as Steep's own test cases expect
            bool finishedBefore = generator.IsFinished;
            var chains = generator.Generate(ReadResults(pr.GetValue(results)), ReadExecuted(pr.GetValue(executed)));
            if (statePath is not null) CliFiles.WriteAtomically(statePath, generator.SaveState());

            using var stdout = Console.OpenStandardOutput();
            using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = SteepJson.Options.Encoder });
            w.WriteStartObject();
            w.WritePropertyName("processChains");
            JsonSerializer.Serialize(w, chains, SteepJson.Options);
            w.WriteBoolean("finished", chains.Count == 0 && finishedBefore && generator.IsFinished);
            w.WriteEndObject();
            w.Flush();
            stdout.WriteByte((byte)'\n');
            return 0;
        }));
        return cmd;
    }

    private static Dictionary<string, IReadOnlyList<string>>? ReadResults(string? path)
    {
        if (path is null) return null;
        var node = ModelReader.ParseDocument(CliFiles.ReadText(path), path);
        if (node is not JsonObject obj) throw new ModelFormatException($"{path}: results must be an object: output variable id -> list of values");
        var results = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (key, value) in obj)
        {
            results[key] = value switch
            {
                JsonArray arr => arr.Where(x => x is not null).Select(x => ValueText.Of(x!)).ToList(),
                null => [],
                _ => [ValueText.Of(value)],
            };
        }
        return results;
    }

    private static List<string>? ReadExecuted(string? path)
    {
        if (path is null) return null;
        var node = ModelReader.ParseDocument(CliFiles.ReadText(path), path);
        if (node is not JsonArray arr) throw new ModelFormatException($"{path}: executed executable ids must be a list of strings");
        return arr.Where(x => x is not null).Select(x => ValueText.Of(x!)).ToList();
    }
}
