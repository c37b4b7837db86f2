using Steep.Contracts;
using System.Net;
using System.Text.Json;
using Steep.Client.Internal;
using Steep.Client.Models;

namespace Steep.Client;

public sealed partial class SteepClient
{
    /// <summary>Gets the server's version information (<c>GET /</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version, build, commit and build time.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status.</exception>
    public Task<VersionInfo> GetVersionAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync<VersionInfo>("", cancellationToken);

    /// <summary>Gets the server's health (<c>GET /health</c>); an unhealthy server (503) is reported, not thrown.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether the server is healthy, and the health of each part it reports.</returns>
    /// <exception cref="SteepApiException">The server answered with a status other than 200 or 503, or with an unreadable body.</exception>
    public async Task<HealthReport> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, "health");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        bool healthy = response.StatusCode == HttpStatusCode.OK;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var parts = new List<HealthPart>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.Object) continue; // "health": the overall flag, known from the status
                    bool partHealthy = p.Value.TryGetProperty("health", out var h) && h.ValueKind == JsonValueKind.True;
                    long? count = p.Value.TryGetProperty("count", out var c) && c.TryGetInt64(out long n) ? n : null;
                    string? message = p.Value.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    parts.Add(new HealthPart(p.Name, partHealthy, count, message));
                }
            }
        }
        catch (JsonException) when (!healthy)
        {
            // an unhealthy server may not manage to say why; the status says enough
        }
        catch (JsonException e)
        {
            throw new SteepApiException(response.StatusCode, $"The health response is not JSON: {e.Message}", "GET", request.RequestUri, e);
        }
        return new HealthReport(healthy, parts);
    }

    /// <summary>Gets the server's metrics in Prometheus' text format (<c>GET /metrics</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The metrics text, as the server sent it.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status.</exception>
    public async Task<string> GetMetricsTextAsync(CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, "metrics", accept: "text/plain");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the agents (<c>GET /agents</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>All agents the server knows.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status.</exception>
    public async Task<IReadOnlyList<AgentInfo>> ListAgentsAsync(CancellationToken cancellationToken = default) =>
        await GetJsonAsync<List<AgentInfo>>("agents", cancellationToken).ConfigureAwait(false);

    /// <summary>Gets one agent (<c>GET /agents/{id}</c>).</summary>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The agent, or null when the server knows no agent with this id.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status other than 404.</exception>
    public Task<AgentInfo?> GetAgentAsync(string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        return GetJsonOrNullAsync<AgentInfo>("agents/" + QueryString.Segment(agentId), cancellationToken);
    }

    /// <summary>Lists the service metadata (<c>GET /services</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>All services the server can run.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status.</exception>
    public async Task<IReadOnlyList<Service>> ListServicesAsync(CancellationToken cancellationToken = default) =>
        await GetJsonAsync<List<Service>>("services", cancellationToken).ConfigureAwait(false);

    /// <summary>Gets one service's metadata (<c>GET /services/{id}</c>).</summary>
    /// <param name="serviceId">The service's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The service, or null when the server knows no service with this id.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status other than 404.</exception>
    public Task<Service?> GetServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        return GetJsonOrNullAsync<Service>("services/" + QueryString.Segment(serviceId), cancellationToken);
    }

    /// <summary>Lists virtual machines of the server's cloud manager, newest first (<c>GET /vms</c>).</summary>
    /// <param name="offset">The offset of the first VM to return.</param>
    /// <param name="size">The maximum number of VMs to return; null for the server's default (10).</param>
    /// <param name="status">Only VMs with this status (such as <c>RUNNING</c>); null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page, with the total number of matching VMs.</returns>
    /// <exception cref="SteepApiException">The server rejected a parameter (400) or answered with another error status.</exception>
    public Task<Page<VirtualMachine>> ListVmsAsync(int offset = 0, int? size = null, string? status = null,
        CancellationToken cancellationToken = default)
    {
        CheckPaging(offset, size);
        return GetPageAsync<VirtualMachine>(QueryString.Build("vms", ("offset", offset), ("size", size), ("status", status)),
            offset, size, cancellationToken);
    }

    /// <summary>Gets one virtual machine (<c>GET /vms/{id}</c>).</summary>
    /// <param name="vmId">The VM's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The VM, or null when the server knows no VM with this id.</returns>
    /// <exception cref="SteepApiException">The server answered with an error status other than 404.</exception>
    public Task<VirtualMachine?> GetVmAsync(string vmId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(vmId);
        return GetJsonOrNullAsync<VirtualMachine>("vms/" + QueryString.Segment(vmId), cancellationToken);
    }
}
