using Steep.Core.Serialization;
using Steep.Silo.Hosting;

namespace Steep.Api.Tests;

public sealed class SteepWebServerTests
{
    [Theory]
    [InlineData("127.0.0.1", 8080, "http://127.0.0.1:8080")]
    [InlineData(" 0.0.0.0 ", 80, "http://0.0.0.0:80")]
    [InlineData("::", 8080, "http://[::]:8080")]
    [InlineData("[::1]", 1, "http://[::1]:1")]
    [InlineData("localhost", 8080, "http://localhost:8080")]
    [InlineData("LOCALHOST", 0, "http://127.0.0.1:0")]
    public void HostsBecomeUrls(string host, int port, string url) => Assert.Equal(url, SteepWebServer.Url(host, port));

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("999.1.1.1")]
    [InlineData("bad host")]
    [InlineData("*")]
    public void NamesOtherThanLocalhostAreRefused(string host)
    {
        // Kestrel would listen on every interface for them
        var e = Assert.Throws<ModelFormatException>(() => SteepWebServer.Url(host, 8080));
        Assert.Contains("IP address", e.Message);
    }
}
