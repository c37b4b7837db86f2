using System.CommandLine;
using Steep.Silo.Commands;

var root = new RootCommand("steep: run data-driven scientific workflows (Steep-compatible)");
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
return await root.Parse(args).InvokeAsync();
