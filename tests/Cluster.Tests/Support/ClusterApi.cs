using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Steep.Cluster.Tests.Support;

/// <summary>What the failover tests ask of a cluster: submit, read submissions, chains and runs over HTTP; the membership table.</summary>
public sealed class ClusterApi(string postgres, string clusterId) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A workflow of <paramref name="chains"/> independent chains, each sleeping <paramref name="seconds"/> s.</summary>
    public static string Sleeps(int chains, int seconds) => Sleeps(Enumerable.Repeat(seconds, chains).ToArray());

    /// <summary>A workflow of independent chains sleeping the given seconds each (one chain per value, registered in this order).</summary>
    public static string Sleeps(int[] seconds) => $$"""
        api: 4.0.0
        vars:
          - id: pauses
            value: [{{string.Join(", ", seconds)}}]
        actions:
          - type: for
            input: pauses
            enumerator: pause
            actions:
              - type: execute
                service: sleep
                parameters:
                  - id: seconds
                    var: pause
        """;

    /// <summary>Submits a workflow to <paramref name="silo"/>; returns its id.</summary>
    public async Task<string> SubmitAsync(ServeProcess silo, string workflow)
    {
        using var submit = await _http.PostAsync(new Uri(silo.Url, "/workflows"), new StringContent(workflow, Encoding.UTF8, "application/yaml"));
        if (submit.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"submit: {submit.StatusCode} {await submit.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A submission's status, asked of <paramref name="silo"/>.</summary>
    public async Task<string> StatusAsync(ServeProcess silo, string id)
    {
        using var response = await _http.GetAsync(new Uri(silo.Url, $"/workflows/{id}?exclude=workflow,source,results"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>Every chain of the submission (one page of up to 1,000).</summary>
    public async Task<IReadOnlyList<Chain>> ChainsAsync(ServeProcess silo, string submissionId)
    {
        using var response = await _http.GetAsync(new Uri(silo.Url, $"/processchains?submissionId={submissionId}&size=1000"));
        response.EnsureSuccessStatusCode();
        var chains = new List<Chain>();
        foreach (var c in JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray())
        {
            chains.Add(new Chain(c.GetProperty("id").GetString()!, c.GetProperty("status").GetString()!,
                c.TryGetProperty("agentId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
                c.TryGetProperty("startTime", out var st) && st.ValueKind == JsonValueKind.String ? st.GetDateTimeOffset() : null,
                c.TryGetProperty("totalRuns", out var tr) && tr.ValueKind == JsonValueKind.Number ? tr.GetInt32() : 0));
        }
        return chains;
    }

    /// <summary>The runs of one chain, oldest first.</summary>
    public async Task<IReadOnlyList<Run>> RunsAsync(ServeProcess silo, string chainId)
    {
        using var response = await _http.GetAsync(new Uri(silo.Url, $"/processchains/{chainId}/runs"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(r => new Run(
            r.GetProperty("runNumber").GetInt32(),
            r.TryGetProperty("agentId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
            r.GetProperty("startTime").GetDateTimeOffset(),
            r.TryGetProperty("endTime", out var e) && e.ValueKind == JsonValueKind.String ? e.GetDateTimeOffset() : null,
            r.GetProperty("status").GetString()!)).ToList();
    }

    /// <summary>What <c>GET /agents</c> of <paramref name="silo"/> answers (every agent of the cluster, busy or idle), as text.</summary>
    public async Task<string> AgentsTextAsync(ServeProcess silo)
    {
        using var response = await _http.GetAsync(new Uri(silo.Url, "/agents"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>How many silos of the cluster the membership table counts as active.</summary>
    public async Task<int> ActiveSilosAsync() => (await ActiveSiloNamesAsync()).Count;

    /// <summary>The names of the silos of the cluster that the membership table counts as active, in order.</summary>
    public async Task<IReadOnlyList<string>> ActiveSiloNamesAsync()
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT siloname FROM steep.orleansmembershiptable WHERE deploymentid = @p AND status = 3 ORDER BY siloname", connection);
        command.Parameters.AddWithValue("p", clusterId);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms; throws naming <paramref name="what"/> when it is not met in time.</summary>
    public static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var until = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"not within {patience.TotalSeconds:0} s: {what}");
            await Task.Delay(100);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>A process chain as <c>GET /processchains</c> lists it.</summary>
    public sealed record Chain(string Id, string Status, string? AgentId, DateTimeOffset? StartTime, int TotalRuns);

    /// <summary>One run of a chain.</summary>
    public sealed record Run(int RunNumber, string? AgentId, DateTimeOffset StartTime, DateTimeOffset? EndTime, string Status);
}
