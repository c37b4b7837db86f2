using System.Text.Json;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Core.Tests.Conformance;

/// <summary>
/// check.py's run_case and run_validation, in process: the same steps, inputs and judgement, with the generator
/// called directly instead of through <c>steep plan</c> / <c>steep validate</c>.
/// </summary>
internal static class ConformanceRunner
{
    /// <summary>Where the generated output files go, as check.py passes them.</summary>
    public static readonly GeneratorOptions Options = new("/tmp/", "/out/");

    public static PyDict Manifest(string folder) =>
        PyYamlLoader.LoadFile(Path.Combine(folder, "manifest.yaml")) as PyDict
            ?? throw new InvalidOperationException($"{folder}/manifest.yaml is not a mapping");

    public static IEnumerable<PyDict> Entries(PyDict manifest, string list) => Py.ListOrEmpty(manifest.Get(list)).OfType<PyDict>();

    public static PyDict Entry(string folder, string list, string name) =>
        Entries(Manifest(folder), list).SingleOrDefault(c => Py.Str(c.Get("name")) == name)
            ?? throw new InvalidOperationException($"no {list} entry '{name}' in the manifest");

    /// <summary>Runs one generator case; throws <see cref="Mismatch"/> where the generator differs.</summary>
    public static void RunCase(string folder, PyDict @case, GeneratorMode mode)
    {
        var wfPath = Path.Combine(folder, Py.Str(@case["workflow"]));
        var servicesPath = Path.Combine(folder, "services.yaml");
        var steps = Py.ListOrEmpty(PyYamlLoader.LoadFile(Path.Combine(folder, Py.Str(@case["result"]))));
        var wantError = @case.Get("error") is { } err ? Py.Str(err) : null;
        var ren = new Renaming(steps.Any(s => Py.Truthy(Py.Get(s, "executedExecutableIds"))));

        var services = ModelReader.ReadServices(File.ReadAllText(servicesPath), servicesPath);
        var workflow = ModelReader.ReadWorkflow(File.ReadAllText(wfPath), wfPath);
        var generator = new ProcessChainGenerator(workflow, services, Options);

        Dictionary<string, IReadOnlyList<string>>? results = null;
        List<string>? executed = null;
        for (int n = 0; n <= steps.Count; n++)
        {
            if (mode == GeneratorMode.ReloadedEachStep) generator = ProcessChainGenerator.Load(generator.SaveState(), services);

            // a step only reports finished when it started finished and produced nothing (see PlanCommand)
            bool finishedBefore = generator.IsFinished;
            IReadOnlyList<ProcessChain> generated;
            try
            {
                generated = generator.Generate(results, executed);
            }
            catch (GeneratorException e)
            {
                if (wantError is not null && e.Message.Contains(wantError, StringComparison.OrdinalIgnoreCase)) return;
                throw new Mismatch($"step {n}: the generator failed: {e.Message}");
            }
            bool finished = generated.Count == 0 && finishedBefore && generator.IsFinished;
            // compare what `steep plan` would print, read back the way check.py reads it
            var chains = (List<object?>)PyJsonLoader.Load(JsonSerializer.SerializeToUtf8Bytes(generated, SteepJson.Options))!;

            if (n < steps.Count)
            {
                var step = steps[n];
                ren = ChainMatcher.MatchChains(Py.ListOrEmpty(Py.Get(step, "chains")), chains, ren, $"step {n}");
                if (finished) throw new Mismatch($"step {n}: finished is true but more steps follow");
                results = NextResults(Py.Get(step, "results"), ren);
                executed = Py.ListOrEmpty(Py.Get(step, "executedExecutableIds"))
                    .Select(x => ren.Fwd(Renaming.Exe).Get(x, x))
                    .Where(x => x is not null).Select(x => CheckRules.NormStr(x)!).ToList();
            }
            else
            {
                if (chains.Count > 0)
                    throw new Mismatch($"after the last step: expected no more process chains, got {chains.Count}");
                if (!finished) throw new Mismatch("after the last step: finished is not true");
            }
        }
        if (wantError is not null) throw new Mismatch($"expected an error mentioning '{wantError}', got none");
    }

    /// <summary>
    /// The expected results of a step renamed into the generator's names. check.py passes them through JSON to
    /// `steep plan`, which drops nulls and reads every value as text; the same happens here.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<string>> NextResults(object? expected, Renaming ren)
    {
        var results = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (k, v) in Py.DictOrEmpty(expected))
        {
            var key = ren.Fwd(Renaming.Var).Get(k, k);
            results[Py.Str(key)] = Py.ListOrEmpty(v)
                .Select(x => ren.TranslateValue(CheckRules.NormStr(x)))
                .Where(x => x is not null).Select(x => CheckRules.NormStr(x)!).ToList();
        }
        return results;
    }

    /// <summary>Runs one validation entry against <see cref="WorkflowValidator"/> (without services).</summary>
    public static void RunValidation(string folder, PyDict entry)
    {
        var wfPath = Path.Combine(folder, Py.Str(entry["workflow"]));
        var workflow = ModelReader.ReadWorkflow(File.ReadAllText(wfPath), wfPath);
        var problems = WorkflowValidator.Validate(workflow);
        var groups = Py.ListOrEmpty(entry.Get("errors"));
        if (groups.Count == 0)
        {
            if (problems.Count > 0) throw new Mismatch($"valid workflow rejected: {string.Join(" | ", problems)}");
            return;
        }
        if (problems.Count == 0) throw new Mismatch("invalid workflow accepted");
        var lines = problems.SelectMany(p => p.Split('\n')).ToList();
        foreach (var group in groups)
        {
            var parts = Py.ListOrEmpty(group).Select(Py.Str).ToList();
            if (!lines.Any(line => parts.All(s => line.Contains(s, StringComparison.Ordinal))))
                throw new Mismatch($"no problem mentions all of [{string.Join(", ", parts)}]: {string.Join(" | ", problems)}");
        }
    }
}
