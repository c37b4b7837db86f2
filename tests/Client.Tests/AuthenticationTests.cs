using System.Net;

namespace Steep.Client.Tests;

/// <summary>A gateway that requires a bearer token (STEEP_HTTP_TOKEN).</summary>
public sealed class AuthenticationTests(TokenSteepServer server) : IClassFixture<TokenSteepServer>
{
    [Fact]
    public async Task The_token_is_sent_with_every_request()
    {
        using var client = server.CreateClient();
        Assert.False(string.IsNullOrEmpty((await client.GetVersionAsync()).Version));
        Assert.Equal(2, (await client.ListAgentsAsync()).Count);
        var id = (await client.SubmitWorkflowAsync(Workflows.SleepYaml(0))).Id;
        Assert.Equal("SUCCESS", (await client.WaitForSubmissionAsync(id, TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public async Task Without_or_with_a_wrong_token_requests_are_401s_but_health_works()
    {
        foreach (var token in new string?[] { null, "wrong" })
        {
            using var client = new SteepClient(server.BaseAddress, token);
            var e = await Assert.ThrowsAsync<SteepApiException>(() => client.GetVersionAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace(e.ServerMessage));
            var get = await Assert.ThrowsAsync<SteepApiException>(() => client.GetSubmissionAsync("anything"));
            Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
            var events = await Assert.ThrowsAsync<SteepApiException>(async () =>
            {
                await foreach (var _ in client.WatchEventsAsync()) { }
            });
            Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
            Assert.True((await client.GetHealthAsync()).Healthy);
        }
    }

    [Fact]
    public void Bad_tokens_are_refused_by_the_constructor()
    {
        Assert.Throws<ArgumentException>(() => new SteepClient(server.BaseAddress, " "));
        Assert.Throws<ArgumentException>(() => new SteepClient(server.BaseAddress, "a\nb"));
        Assert.Throws<ArgumentException>(() => new SteepClient(new Uri("ftp://example.org/")));
    }
}
