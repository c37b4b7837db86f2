using System.CommandLine;
using Steep.Core.Macros;
using Steep.Core.Serialization;

namespace Steep.Silo.Commands;

/// <summary><c>steep expand</c>: print a workflow with every include action replaced by its macro, as YAML.</summary>
internal static class ExpandCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (YAML or JSON)" };
        var macros = CliFiles.MacrosOption();
        var cmd = new Command("expand", "Print the workflow with every include expanded (YAML); nothing is validated or run") { workflow, macros };
        cmd.SetAction(pr => CommandErrors.Run(() =>
        {
            var wf = CliFiles.ReadWorkflow(pr.GetValue(workflow)!);
            var expanded = MacroPreprocessor.Expand(wf, CliFiles.ReadMacros(pr.GetValue(macros)));
            Console.Out.Write(YamlWriter.Write(expanded));
            return 0;
        }));
        return cmd;
    }
}
