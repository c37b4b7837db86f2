using System.Text;
using Steep.Core.Models;

namespace Steep.Agent;

/// <summary>Turns executable arguments into an argument list, and argument lists into readable command lines.</summary>
internal static class CommandLine
{
    /// <summary>
    /// Appends the arguments in order: a labelled boolean passes its label alone when true and nothing otherwise;
    /// any other argument passes its label (if any) and then its value.
    /// </summary>
    /// <param name="into">The list to append to.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="emptyValueIsFlag">
    /// For runtime arguments: a labelled argument without a value (metadata such as <c>label: --rm</c>) passes its
    /// label alone, not an empty string that <c>docker run</c> would take for the image.
    /// </param>
    public static void AppendArguments(List<string> into, IReadOnlyList<Argument> arguments, bool emptyValueIsFlag = false)
    {
        foreach (var a in arguments)
        {
            bool labelled = !string.IsNullOrEmpty(a.Label);
            if (labelled && a.DataType == DataTypes.Boolean)
            {
                if (string.Equals(a.Variable.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase)) into.Add(a.Label!);
                continue;
            }
            if (labelled) into.Add(a.Label!);
            if (!(labelled && emptyValueIsFlag && a.Variable.Value.Length == 0)) into.Add(a.Variable.Value);
        }
    }

    /// <summary>The command line as a POSIX shell would need it, for logs and messages (never executed).</summary>
    public static string Format(string program, IReadOnlyList<string> arguments)
    {
        var sb = new StringBuilder();
        AppendQuoted(sb, program);
        foreach (var a in arguments)
        {
            sb.Append(' ');
            AppendQuoted(sb, a);
        }
        return sb.ToString();
    }

    private static void AppendQuoted(StringBuilder sb, string s)
    {
        if (s.Length > 0 && s.AsSpan().IndexOfAnyExcept(SafeChars) < 0)
        {
            sb.Append(s);
            return;
        }
        sb.Append('\'').Append(s.Replace("'", "'\\''", StringComparison.Ordinal)).Append('\'');
    }

    private static readonly System.Buffers.SearchValues<char> SafeChars = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-");
}
