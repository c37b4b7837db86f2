using System.CommandLine;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Silo.Commands;

/// <summary>
/// <c>steep validate</c>: print every problem of workflows (and service metadata files) or, with --macro, of macro
/// definitions, one per line.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var workflows = new Argument<string[]>("workflow") { Description = "The workflow files (YAML or JSON); with --macro macro files", Arity = ArgumentArity.OneOrMore };
        var services = new Option<string[]>("--services") { Description = "Service metadata files; when given, services and parameters are checked too", AllowMultipleArgumentsPerToken = true };
        var macros = CliFiles.MacrosOption();
        var macro = new Option<bool>("--macro") { Description = "The files define macros (a macro or a list of macros): check them as macro definitions against the macros given" };
        var cmd = new Command("validate", "Check workflows (or macros) and service metadata and print one problem per line (exit code 1 when there is any)")
        {
            workflows, services, macros, macro,
        };
        cmd.SetAction(pr => CommandErrors.Run(() =>
        {
            bool failed = false;
            var known = CliFiles.ReadMacros(pr.GetValue(macros));
            // every file is read on its own, so that one broken file does not hide the problems of the others
            var files = pr.GetValue(services);
            List<Service>? svc = files is { Length: > 0 } ? [] : null;
            foreach (var f in files ?? [])
            {
                try
                {
                    svc!.AddRange(CliFiles.ReadServices([f]));
                }
                catch (ModelFormatException e)
                {
                    Console.Error.WriteLine(e.Message);
                    failed = true;
                }
            }
            bool servicesBroken = failed;
            bool asMacro = pr.GetValue(macro);
            foreach (var path in pr.GetValue(workflows) ?? [])
            {
                IReadOnlyList<string> problems;
                try
                {
                    if (asMacro)
                    {
                        var defined = ModelReader.ReadMacros(CliFiles.ReadText(path), path);
                        if (defined.Count == 0) throw new ModelFormatException($"{path}: the file holds no macro");
                        foreach (var m in defined) known[m.Id] = m;
                        problems = defined.SelectMany(m => WorkflowValidator.ValidateMacro(m, known)).Distinct().ToList();
                    }
                    else
                    {
                        // a workflow is checked against the services only when all of them could be read
                        problems = WorkflowValidator.Validate(CliFiles.ReadWorkflow(path), servicesBroken ? null : svc, known);
                    }
                }
                catch (ModelFormatException e)
                {
                    Console.Error.WriteLine(e.Message); // one line per problem, each naming the file
                    failed = true;
                    continue;
                }
                foreach (var p in problems) Console.Error.WriteLine($"{path}: {p}");
                if (problems.Count > 0)
                {
                    failed = true;
                    continue;
                }
                Console.WriteLine($"{path}: valid{(asMacro ? "" : svc is null ? " (services not checked: pass --services to check them)"
                    : servicesBroken ? " (services not checked: their files have problems)" : "")}");
            }
            return failed ? 1 : 0;
        }));
        return cmd;
    }
}
