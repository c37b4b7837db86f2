using System.CommandLine;
using Steep.Agent.Native;
using Steep.Silo.Commands;

// Process 1 of a container: the command runs as a child of this one, which stays as its init (see ContainerInit).
if (ContainerInit.IsProcessOne) return await ContainerInit.RunChildAsync(args);

var root = new RootCommand("steep: run data-driven scientific workflows (Steep-compatible)");
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(ExpandCommand.Create());
root.Subcommands.Add(RunCommand.CreateRun());
root.Subcommands.Add(RunCommand.CreateResume());
root.Subcommands.Add(RunCommand.CreateStatus());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
// serve needs more than the default 2 s after Ctrl-C/SIGTERM to stop requests, kill running chains and close the store;
// a silo of a cluster first drains (steep.cluster.drainTimeout, 20 s by default). Each command bounds its own stop (the
// host's shutdown timeout), so this is only the last resort against a stop that hangs.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(10) });
