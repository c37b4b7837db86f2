using System.Globalization;

namespace Steep.EndToEnd.Tests;

/// <summary>
/// The crash tests' workload: a for-each over <c>item01</c>… whose service records each execution in a file ("start X"
/// when it starts, "end X" when it has written its output), so that a test knows what really ran, whatever the store
/// says.
/// </summary>
internal static class RecordingWorkload
{
    /// <summary>
    /// Writes <c>services.yaml</c> and <c>bin/record.sh</c> into <paramref name="dir"/>; each execution takes
    /// <paramref name="seconds"/>. The program is given relative to the metadata file, so a resume with no
    /// <c>--services</c> must find it through the submission's own metadata.
    /// </summary>
    public static async Task<string> WriteServicesAsync(string dir, double seconds)
    {
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        SteepCli.WriteScript(Path.Combine(dir, "bin"), "record.sh", $"""
            echo "start $1" >> "$3"
            sleep {seconds.ToString(CultureInfo.InvariantCulture)}
            echo "copy of $1" > "$2"
            echo "end $1" >> "$3"
            """);
        var services = Path.Combine(dir, "services.yaml");
        await File.WriteAllTextAsync(services, """
            - id: record
              name: Record
              description: Records its execution and copies its input name into the output
              path: ./bin/record.sh
              runtime: other
              parameters:
                - {id: item, name: Item, description: The item, type: input, cardinality: 1..1}
                - {id: out, name: Output, description: Output file, type: output, cardinality: 1..1}
                - {id: record, name: Record, description: The record file, type: input, cardinality: 1..1}
            """);
        return services;
    }

    /// <summary>The items of a workflow of <paramref name="count"/> chains.</summary>
    public static IReadOnlyList<string> Items(int count) => Enumerable.Range(1, count).Select(i => $"item{i:00}").ToList();

    /// <summary>Writes <c>workflow.yaml</c> into <paramref name="dir"/>: one chain per item, all outputs collected in <c>all</c>.</summary>
    public static async Task<string> WriteWorkflowAsync(string dir, int count, string record)
    {
        var wf = Path.Combine(dir, "workflow.yaml");
        await File.WriteAllTextAsync(wf, $$"""
            api: 4.0.0
            vars:
              - id: items
                value: [{{string.Join(", ", Items(count))}}]
              - id: record
                value: '{{record}}'
              - {id: i}
              - {id: o}
              - {id: all}
            actions:
              - type: for
                input: items
                enumerator: i
                output: all
                yieldToOutput: o
                actions:
                  - type: execute
                    service: record
                    inputs:
                      - {id: item, var: i}
                      - {id: record, var: record}
                    outputs:
                      - {id: out, var: o}
            """);
        return wf;
    }

    /// <summary>How often each item has started, from the record.</summary>
    public static Dictionary<string, int> Starts(string record) => Lines(record, "start ")
        .GroupBy(item => item).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>How many executions have ended, from the record (0 while there is none).</summary>
    public static int Ends(string record) => Lines(record, "end ").Count;

    /// <summary>The item a stored chain works on.</summary>
    public static string Item(Steep.Persistence.StoredProcessChain c) =>
        c.Chain.Executables[0].Arguments.First(a => a.Id == "item").Variable.Value;

    /// <summary>The non-empty lines of a record (or pid) file that start with <paramref name="prefix"/>, without it; none while it is being written.</summary>
    public static List<string> Lines(string record, string prefix)
    {
        try
        {
            return File.Exists(record)
                ? File.ReadAllLines(record).Where(l => l.Length > 0 && l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToList()
                : [];
        }
        catch (IOException)
        {
            return []; // a service is writing it
        }
    }
}
