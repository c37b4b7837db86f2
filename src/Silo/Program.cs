using System.CommandLine;
using Steep.Silo.Commands;

var root = new RootCommand("steep: run data-driven scientific workflows (Steep-compatible)");
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(RunCommand.CreateRun());
root.Subcommands.Add(RunCommand.CreateResume());
root.Subcommands.Add(RunCommand.CreateStatus());
return await root.Parse(args).InvokeAsync();
