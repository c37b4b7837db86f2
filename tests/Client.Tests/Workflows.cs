using System.Globalization;

namespace Steep.Client.Tests;

/// <summary>Workflows the tests submit (services: conf/services/sleep.yaml and examples/split-join/services.yaml).</summary>
internal static class Workflows
{
    public static string SleepYaml(int seconds) => $"""
        api: 4.0.0
        vars:
          - id: sleep_seconds
            value: {seconds.ToString(CultureInfo.InvariantCulture)}
        actions:
          - type: execute
            service: sleep
            parameters:
              - id: seconds
                var: sleep_seconds
        """;

    public static string SleepJson(int seconds) => $$"""
        {"api": "4.0.0", "vars": [{"id": "sleep_seconds", "value": {{seconds}}}],
         "actions": [{"type": "execute", "service": "sleep", "parameters": [{"id": "seconds", "var": "sleep_seconds"}]}]}
        """;

    public static string SplitJoinYaml() => File.ReadAllText(Path.Combine(SteepServer.RepositoryRoot, "examples", "split-join", "workflow.yaml"));
}
