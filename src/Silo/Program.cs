using System.CommandLine;
using Steep.Silo.Commands;

var root = new RootCommand("steep: run data-driven scientific workflows (Steep-compatible)");
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(ExpandCommand.Create());
root.Subcommands.Add(RunCommand.CreateRun());
root.Subcommands.Add(RunCommand.CreateResume());
root.Subcommands.Add(RunCommand.CreateStatus());
root.Subcommands.Add(ServeCommand.Create());
// serve needs more than the default 2 s after Ctrl-C/SIGTERM to stop requests, kill running chains and close the store
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
