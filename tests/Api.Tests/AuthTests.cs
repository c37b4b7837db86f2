using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

public sealed class AuthTests(AuthTests.Server server) : IClassFixture<AuthTests.Server>
{
    /// <summary>A server that requires a token.</summary>
    public sealed class Server : ApiServer
    {
        public const string Token = "s3cret-token";

        protected override void Configure(SteepApiOptions options) => options.Token = Token;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? authorization)
    {
        var r = new HttpRequestMessage(method, path);
        if (authorization is not null) r.Headers.TryAddWithoutValidation("Authorization", authorization);
        return r;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/workflows")]
    [InlineData("/workflows/x")]
    [InlineData("/processchains")]
    [InlineData("/logs/processchains/x")]
    [InlineData("/agents")]
    [InlineData("/services")]
    [InlineData("/vms")]
    [InlineData("/metrics")]
    [InlineData("/events")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/no/such/path")]
    public async Task EveryEndpointButHealthNeedsTheToken(string path)
    {
        using var none = await server.Client.SendAsync(Request(HttpMethod.Get, path, null));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", await none.Content.ReadAsStringAsync());

        foreach (var wrong in new[] { "Bearer wrong", "Bearer s3cret-toke", "Bearer s3cret-token2", "Basic czNjcmV0LXRva2Vu", Server.Token, "Bearer " })
        {
            using var r = await server.Client.SendAsync(Request(HttpMethod.Get, path, wrong));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
    }

    [Fact]
    public async Task TheRightTokenOpensEveryEndpoint()
    {
        foreach (var path in new[] { "/", "/workflows", "/processchains", "/agents", "/services", "/vms", "/metrics", "/openapi/v1.json" })
        {
            using var r = await server.Client.SendAsync(Request(HttpMethod.Get, path, $"Bearer {Server.Token}"));
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{path}: {(int)r.StatusCode}");
        }
        using var lower = await server.Client.SendAsync(Request(HttpMethod.Get, "/workflows", $"bearer {Server.Token}"));
        Assert.Equal(HttpStatusCode.OK, lower.StatusCode);

        using var post = Request(HttpMethod.Post, "/workflows", $"Bearer {Server.Token}");
        post.Content = new StringContent(ApiServer.SleepWorkflow(0), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var accepted = await server.Client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        using var unauthorizedPost = Request(HttpMethod.Post, "/workflows", null);
        unauthorizedPost.Content = new StringContent(ApiServer.SleepWorkflow(0));
        using var refused = await server.Client.SendAsync(unauthorizedPost);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task HealthNeedsNoToken()
    {
        using var r = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }
}

/// <summary>Without a configured token nothing asks for one.</summary>
public sealed class NoAuthTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task WithoutATokenEverythingIsOpen()
    {
        foreach (var path in new[] { "/", "/workflows", "/metrics", "/openapi/v1.json" })
        {
            using var r = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Empty(r.Headers.WwwAuthenticate);
        }
        using var anyToken = new HttpRequestMessage(HttpMethod.Get, "/workflows");
        anyToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "whatever");
        using var ok = await server.Client.SendAsync(anyToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
