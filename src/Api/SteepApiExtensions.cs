using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Steep.Api.Endpoints;
using Steep.Api.EventBus;
using Steep.Api.Http;
using Steep.Api.Metrics;
using Steep.Dashboard;

namespace Steep.Api;

/// <summary>Wires Steep's HTTP API into an ASP.NET Core application: <c>AddSteepApi</c>, then <c>MapSteepApi</c>.</summary>
public static class SteepApiExtensions
{
    /// <summary>Registers the API's services for <paramref name="instance"/> (which the caller owns and disposes).</summary>
    public static IServiceCollection AddSteepApi(this IServiceCollection services, ISteepInstance instance, Action<SteepApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var options = new SteepApiOptions();
        configure?.Invoke(options);
        if (options.MaxWorkflowBytes <= 0) throw new ArgumentException("MaxWorkflowBytes must be positive", nameof(configure));
        if (options.EventKeepAliveInterval <= TimeSpan.Zero) throw new ArgumentException("EventKeepAliveInterval must be positive", nameof(configure));
        if (options.CancelWait < TimeSpan.Zero) throw new ArgumentException("CancelWait must not be negative", nameof(configure));
        services.AddSingleton(instance);
        services.AddSingleton(options);
        services.AddSingleton(new LargeBodyGate(options.LargeWorkflowBytes));
        services.AddSingleton<SteepMetrics>();
        // listings of thousands of chains shrink about tenfold; the event stream (text/event-stream) and partial
        // responses (Range) stay uncompressed, so events arrive at once and byte offsets keep their meaning
        services.AddResponseCompression(o => o.EnableForHttps = true);
        services.AddHostedService<MetricsEventFeeder>();
        services.AddSingleton<EventBusHub>();
        services.AddHostedService(sp => sp.GetRequiredService<EventBusHub>());
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Steep HTTP API";
                document.Info.Description = "Steep 6.9's HTTP API: submit workflows, follow submissions and process chains, " +
                    "read logs, agents, services, metrics and events (server-sent events on /events, Steep's SockJS event bus " +
                    "bridge on /eventbus). JSON is sent as 'application/json', errors as 'text/plain' messages; every GET " +
                    "route answers HEAD.";
                OpenApiSchemas.AddHeadOperations(document);
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer(OpenApiSchemas.TransformAsync);
        });
        return services;
    }

    /// <summary>
    /// Adds response compression (gzip or Brotli when the client asks), the error handling and (when a token is
    /// configured) authentication middleware, and maps every endpoint.
    /// </summary>
    public static WebApplication MapSteepApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<SteepApiOptions>();
        app.UseResponseCompression();
        app.UseMiddleware<JsonContentTypeMiddleware>();
        app.UseMiddleware<HeadRequestMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // before the token check: the page and its scripts hold no data, and the page asks for the token itself
        app.UseSteepDashboard();
        // a bare status (unknown path, wrong method) gets a short plain message too
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            http.Response.ContentType = ApiResults.TextContentType;
            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"Not found: there is no endpoint {http.Request.Method} {http.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"Method {http.Request.Method} is not allowed on {http.Request.Path}",
                int code => ReasonPhrases.GetReasonPhrase(code),
            };
            await http.Response.WriteAsync(message, http.RequestAborted);
        });
        if (!string.IsNullOrEmpty(options.Token))
            app.UseMiddleware<BearerTokenMiddleware>(BearerTokenMiddleware.Hash(options.Token));
        app.UseWebSockets(); // /eventbus: SockJS's websocket transport
        app.UseRouting();

        InfoEndpoints.Map(app);
        WorkflowEndpoints.Map(app);
        ProcessChainEndpoints.Map(app);
        LogEndpoints.Map(app);
        SearchEndpoints.Map(app);
        AgentEndpoints.Map(app);
        ServiceEndpoints.Map(app);
        PluginEndpoints.Map(app);
        VmEndpoints.Map(app);
        MetricsEndpoints.Map(app);
        EventEndpoints.Map(app);
        SockJsEndpoints.Map(app);
        ValidateEndpoints.Map(app);
        GraphEndpoints.Map(app);
        ResultEndpoints.Map(app);
        app.MapOpenApi();
        return app;
    }
}
