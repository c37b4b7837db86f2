using System.CommandLine;
using Steep.Core.Validation;

namespace Steep.Silo.Commands;

/// <summary><c>steep validate</c>: print every problem of a workflow, one per line.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow file (YAML or JSON)" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files; when given, services and parameters are checked too", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("validate", "Check a workflow and print one problem per line (exit code 1 when there is any)") { workflow, services };
        cmd.SetAction(pr => CommandErrors.Run(() =>
        {
            var path = pr.GetValue(workflow)!;
            var wf = CliFiles.ReadWorkflow(path);
            var files = pr.GetValue(services);
            var svc = files is { Length: > 0 } ? CliFiles.ReadServices(files) : null;
            var problems = WorkflowValidator.Validate(wf, svc);
            foreach (var p in problems) Console.Error.WriteLine($"{path}: {p}");
            if (problems.Count > 0) return 1;
            Console.WriteLine($"{path}: valid{(svc is null ? " (services not checked: pass --services to check them)" : "")}");
            return 0;
        }));
        return cmd;
    }
}
