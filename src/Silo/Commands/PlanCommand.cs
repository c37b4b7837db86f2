using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Generator;
using Steep.Core.Macros;
using Steep.Core.Serialization;
using Steep.Plugins;
using Steep.Silo.Configuration;

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
        var plugins = new Option<string?>("--plugins")
        {
            Description = "Plugin descriptor file or folder (default: steep.plugins, else conf/plugins/); its process chain adapters and consistency checkers take part",
        };
        var cmd = new Command("plan", "Show the process chains the next step of a workflow produces (a dry run; nothing is executed)")
        {
            workflow, services, state, results, executed, tmpPath, outPath, macros, plugins,
        };
        cmd.SetAction((pr, ct) => CommandErrors.RunAsync(async () =>
        {
            var svc = CliFiles.ReadServices(pr.GetValue(services));
            var statePath = pr.GetValue(state);
            // include actions are expanded once, before the first step; the saved state holds the expanded actions, and
            // the workflow is read again on later steps only for the adapters, which see it as run and serve show them it
            var wf = MacroPreprocessor.Expand(CliFiles.ReadWorkflow(pr.GetValue(workflow)!), CliFiles.ReadMacros(pr.GetValue(macros)));
            var generatorPlugins = LoadGeneratorPlugins(pr.GetValue(plugins));
            var check = generatorPlugins?.ConsistencyCheckFor(wf);
            ProcessChainGenerator generator;
            if (statePath is not null && File.Exists(statePath) && new FileInfo(statePath).Length > 0)
                generator = ProcessChainGenerator.Load(File.ReadAllBytes(statePath), svc, check);
            else
                generator = new ProcessChainGenerator(wf, svc, new GeneratorOptions { ConsistencyCheck = check });
            if (pr.GetValue(tmpPath) is { } tp) generator.TmpPath = tp;
            if (pr.GetValue(outPath) is { } op) generator.OutPath = op;

            // "finished" is only reported by a step that starts finished and produces nothing: the step that consumes
            // the last results still answers false, as Steep's own test cases expect
            bool finishedBefore = generator.IsFinished;
            var chains = generator.Generate(ReadResults(pr.GetValue(results)), ReadExecuted(pr.GetValue(executed)));
            if (chains.Count > 0 && generatorPlugins is { HasAdapters: true })
            {
                try { chains = await generatorPlugins.AdaptAsync(chains, wf, ct); }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    // as in run and serve, where the step's chains would be stored as ERROR with this message
                    throw new PluginException(e.Message);
                }
            }
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

    /// <summary>
    /// The generator plugins of <paramref name="location"/> (or <c>steep.plugins</c>, or <c>conf/plugins/</c>), compiled
    /// into the data directory's cache as <c>run</c> does; null when there are none. Initializers do not run: a dry run
    /// has no side effects.
    /// </summary>
    private static GeneratorPlugins? LoadGeneratorPlugins(string? location)
    {
        var config = SteepConfiguration.Load(Environment.GetEnvironmentVariable("STEEP_HOME") ?? Directory.GetCurrentDirectory());
        var files = PluginLoader.DescriptorFiles(config.Home, location ?? config.GetString("steep.plugins"));
        if (files.Count == 0) return null;
        var cache = Path.Combine(config.GetPath("steep.dataDir", ".steep"), "plugins");
        return PluginLoader.Load(files, config.Home, cache).Generator;
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
