using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Steep.Core.Serialization;
using Steep.Silo.Configuration;
using Steep.Silo.Hosting;

namespace Steep.Silo.Commands;

/// <summary>
/// <c>steep serve</c>: silo, HTTP API, local agents and embedded store in one process, until Ctrl-C or SIGTERM.
/// Stopping stops taking requests, ends open event streams, kills running chains (they go back to REGISTERED and
/// run again on the next start) and closes the store; unfinished submissions resume on the next start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default: steep.http.host, 127.0.0.1)" };
        var port = new Option<int?>("--port") { Description = "Port to listen on, 0 for any free one (default: steep.http.port, 8080)" };
        var data = new Option<string?>("--data") { Description = "Data directory (default: steep.dataDir, .steep)" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files (default: conf/services/*)", AllowMultipleArgumentsPerToken = true };
        var agents = new Option<int?>("--agents") { Description = "Number of local agents (default: one per core)" };
        var cmd = new Command("serve", "Run Steep as a server: HTTP API, scheduler and local agents; resumes unfinished submissions")
        {
            host, port, data, services, agents,
        };
        cmd.SetAction((pr, ct) => CommandErrors.RunAsync(async () =>
        {
            var config = SteepConfiguration.Load(Environment.GetEnvironmentVariable("STEEP_HOME") ?? Directory.GetCurrentDirectory());
            var settings = HostSettings.From(config, pr.GetValue(data), pr.GetValue(services), pr.GetValue(agents));
            settings = settings with
            {
                HttpHost = pr.GetValue(host) ?? settings.HttpHost,
                HttpPort = pr.GetValue(port) ?? settings.HttpPort,
            };
            if (settings.HttpPort is < 0 or > 65535)
                throw new ModelFormatException($"the HTTP port must be from 0 to 65535, not {settings.HttpPort}");
            var url = SteepWebServer.Url(settings.HttpHost, settings.HttpPort);
            return await ServeAsync(settings, url, ct);
        }));
        return cmd;
    }

    private static async Task<int> ServeAsync(HostSettings settings, string url, CancellationToken ct)
    {
        await using var steep = await SteepHost.StartAsync(settings, ct);
        await RunCommand.KillLeftoversAsync(settings, ct);
        var resumed = await steep.ResumeAllAsync(ct);
        if (resumed.Count > 0) Console.Error.WriteLine($"resumed {resumed.Count} unfinished submission(s)");

        await using var app = SteepWebServer.Create(steep, url, api =>
        {
            api.Token = settings.HttpToken;
            api.MaxWorkflowBytes = settings.HttpMaxBodySize;
            api.ReadLimits = settings.ReadLimits;
        });
        try
        {
            await app.StartAsync(ct);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException && e is not OperationCanceledException)
        {
            throw new IOException($"cannot listen on {url}: {e.Message}", e);
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [url];
        Console.Error.WriteLine($"data directory {settings.DataDirectory}, {settings.AgentCount} agents" +
            (string.IsNullOrEmpty(settings.HttpToken) ? "" : ", bearer token required"));
        foreach (var a in addresses) Console.WriteLine($"Listening on {a}");
        Console.Out.Flush();

        // returns once the token (Ctrl-C, SIGTERM) has stopped the server gracefully
        await app.WaitForShutdownAsync(ct);
        Console.Error.WriteLine("stopping: running process chains are killed and will run again on the next start");
        return 0;
    }
}
