using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Steep.Api;
using Steep.Core.Serialization;

namespace Steep.Silo.Hosting;

/// <summary>The web application of <c>steep serve</c>: Steep's HTTP API over a running instance.</summary>
public static class SteepWebServer
{
    /// <summary>
    /// Builds (does not start) the application. <paramref name="url"/> is where Kestrel listens (null: leave it to
    /// <paramref name="configure"/>, e.g. a test server). Stopping is left to the caller (<c>StopAsync</c> or a token
    /// given to <c>WaitForShutdownAsync</c>): the command line owns the process signals.
    /// </summary>
    public static WebApplication Create(ISteepInstance instance, string? url, Action<SteepApiOptions>? api = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            // not the working directory: an appsettings.json that happens to be there must not change the server
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // stdout carries only what the command prints (the URL); logs go to stderr
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        // Orleans' placement in a cluster runs through a Polly pipeline that logs every attempt at Information
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // a failed start (e.g. the port is taken) is reported by the command in one line, not as a logged stack trace
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        if (url is not null) builder.WebHost.UseUrls(url);
        builder.Services.AddSteepApi(instance, api);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapSteepApi();
        return app;
    }

    /// <summary>
    /// The URL Kestrel listens on for <c>steep.http.host</c> and a port. Only IP addresses and "localhost" are taken:
    /// Kestrel would quietly listen on every interface for any other name (a typo must not expose the server).
    /// </summary>
    /// <exception cref="ModelFormatException">the host is neither an IP address nor localhost.</exception>
    public static string Url(string host, int port)
    {
        var h = host.Trim();
        if (h.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return port == 0 ? "http://127.0.0.1:0" : $"http://localhost:{port}"; // Kestrel picks no free port for "localhost"
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        if (!IPAddress.TryParse(h, out var ip))
            throw new ModelFormatException($"the HTTP host must be an IP address (such as 127.0.0.1, 0.0.0.0 or ::) or localhost, not '{host}'");
        return ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"http://[{ip}]:{port}" : $"http://{ip}:{port}";
    }

    /// <summary>A lifetime that leaves signals alone: System.CommandLine turns Ctrl-C and SIGTERM into the stop token.</summary>
    private sealed class CommandLineLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
