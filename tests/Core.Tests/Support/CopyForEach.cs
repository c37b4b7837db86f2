namespace Steep.Core.Tests.Support;

/// <summary>The for-each the generator tests share: copy every file of <c>files</c>, collect the copies in <c>copies</c>.</summary>
internal static class CopyForEach
{
    /// <summary>The workflow's YAML with <paramref name="files"/> as the input list; <paramref name="join"/> adds an action that reads <c>copies</c>.</summary>
    public static string Yaml(IEnumerable<string> files, bool join = false) => $$"""
        vars:
          - id: files
            value: [{{string.Join(", ", files)}}]
          - {id: f}
          - {id: c}
          - {id: copies}
          - {id: joined}
        actions:
          - type: for
            id: each
            input: files
            enumerator: f
            output: copies
            yieldToOutput: c
            actions:
              - {id: copy, type: execute, service: cp, inputs: [{id: input_file, var: f}], outputs: [{id: output_file, var: c}]}
        """ + (join ? JoinAction : "");

    /// <summary>An action reading the for-each's output, to append to <see cref="Yaml"/>.</summary>
    public const string JoinAction = """

          - {id: join, type: execute, service: join, inputs: [{id: i, var: copies}], outputs: [{id: o, var: joined}]}
        """;
}
