using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Persistence.Tests;

/// <summary>Builders for the models the store tests use.</summary>
internal static class Samples
{
    /// <summary>A fixed time with milliseconds and an offset (databases may keep only the instant, at microseconds).</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.FromHours(1));

    public static Submission NewSubmission(string id, string status = SubmissionStatus.Accepted) => new()
    {
        Id = id,
        Status = status,
        RequiredCapabilities = ["docker", "gpu"],
        Workflow = new Workflow
        {
            Api = "4.4.0",
            Name = "copy " + id,
            Vars = [new Variable { Id = "i", Value = JsonValue.Create("/data/in.txt") }, new Variable { Id = "o" }],
            Actions =
            [
                new ExecuteAction
                {
                    Id = "copy",
                    Service = "cp",
                    Inputs = [new InputParameter { Id = "input", Var = "i" }],
                    Outputs = [new OutputParameter { Id = "output", Var = "o", Store = true }],
                },
            ],
        },
    };

    public static ProcessChain NewChain(string id, int executables = 2, params string[] capabilities) => new()
    {
        Id = id,
        RequiredCapabilities = capabilities,
        Priority = 0,
        Executables = Enumerable.Range(0, executables).Select(i => new Executable
        {
            Id = $"action{i}",
            Path = "/usr/bin/cp",
            ServiceId = "cp",
            Arguments =
            [
                new Argument { Id = "input", Variable = new ArgumentVariable($"in{i}", $"/data/{id}/in{i}.txt"), Type = ArgumentTypes.Input },
                new Argument { Id = "output", Label = "-o", Variable = new ArgumentVariable($"out{i}", $"/data/{id}/out{i}.txt"), Type = ArgumentTypes.Output },
            ],
            Retries = new RetryPolicy { MaxAttempts = 3, Delay = 1000 },
        }).ToArray(),
    };

    public static IReadOnlyList<ProcessChain> NewChains(string prefix, int count, int executables = 2) =>
        Enumerable.Range(0, count).Select(i => NewChain($"{prefix}{i}", executables)).ToArray();

    public static GeneratorStep Step(long step) => new(step, Encoding.UTF8.GetBytes($"{{\"step\":{step}}}"));

    public static Dictionary<string, IReadOnlyList<string>> ResultFiles(params string[] files) => new() { ["o"] = files };

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, SteepJson.Options);
}
