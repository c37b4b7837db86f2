using System.CommandLine;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Silo.Commands;

/// <summary><c>steep validate</c>: print every problem of a workflow (or, with --macro, of a macro), one per line.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (YAML or JSON); with --macro a macro file" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files; when given, services and parameters are checked too", AllowMultipleArgumentsPerToken = true };
        var macros = CliFiles.MacrosOption();
        var macro = new Option<bool>("--macro") { Description = "FILE defines a macro (or a list of macros): check it as a macro definition against the macros given" };
        var cmd = new Command("validate", "Check a workflow (or a macro) and print one problem per line (exit code 1 when there is any)") { workflow, services, macros, macro };
        cmd.SetAction(pr => CommandErrors.Run(() =>
        {
            var path = pr.GetValue(workflow)!;
            var known = CliFiles.ReadMacros(pr.GetValue(macros));
            IReadOnlyList<string> problems;
            bool servicesChecked = false;
            if (pr.GetValue(macro))
            {
                var defined = ModelReader.ReadMacros(CliFiles.ReadText(path), path);
                if (defined.Count == 0) throw new ModelFormatException($"{path}: the file holds no macro");
                foreach (var m in defined) known[m.Id] = m;
                problems = defined.SelectMany(m => WorkflowValidator.ValidateMacro(m, known)).Distinct().ToList();
            }
            else
            {
                var wf = CliFiles.ReadWorkflow(path);
                var files = pr.GetValue(services);
                var svc = files is { Length: > 0 } ? CliFiles.ReadServices(files) : null;
                servicesChecked = svc is not null;
                problems = WorkflowValidator.Validate(wf, svc, known);
            }
            foreach (var p in problems) Console.Error.WriteLine($"{path}: {p}");
            if (problems.Count > 0) return 1;
            Console.WriteLine($"{path}: valid{(pr.GetValue(macro) || servicesChecked ? "" : " (services not checked: pass --services to check them)")}");
            return 0;
        }));
        return cmd;
    }
}
