using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

public sealed class LogEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    private HttpClient Client => server.Client;

    private async Task<string> EchoChainAsync(string text)
    {
        var id = (await server.SubmitAsync(ApiServer.EchoWorkflow(text)))["id"]!.GetValue<string>();
        Assert.Equal("SUCCESS", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());
        return (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task TheLogIsPlainTextWithRangeSupport()
    {
        var chainId = await EchoChainAsync("hello from steep");
        using var full = await Client.GetAsync($"/logs/processchains/{chainId}");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.StartsWith("text/plain", full.Content.Headers.ContentType!.ToString());
        Assert.Contains("bytes", full.Headers.AcceptRanges);
        var bytes = await full.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("hello from steep", text);
        Assert.True(bytes.Length > 20, text);

        using var head = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        head.Headers.Range = new RangeHeaderValue(0, 9);
        using var first = await Client.SendAsync(head);
        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal($"bytes 0-9/{bytes.Length}", first.Content.Headers.ContentRange!.ToString());
        Assert.Equal(bytes[..10], await first.Content.ReadAsByteArrayAsync());

        using var tailRequest = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        tailRequest.Headers.Range = new RangeHeaderValue(null, 5);
        using var tail = await Client.SendAsync(tailRequest);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^5..], await tail.Content.ReadAsByteArrayAsync());

        using var fromRequest = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        fromRequest.Headers.Range = new RangeHeaderValue(5, null);
        using var from = await Client.SendAsync(fromRequest);
        Assert.Equal(HttpStatusCode.PartialContent, from.StatusCode);
        Assert.Equal(bytes[5..], await from.Content.ReadAsByteArrayAsync());

        using var beyondRequest = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        beyondRequest.Headers.Range = new RangeHeaderValue(bytes.Length + 100, null);
        using var beyond = await Client.SendAsync(beyondRequest);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal($"bytes */{bytes.Length}", beyond.Content.Headers.ContentRange!.ToString());

        using var download = await Client.GetAsync($"/logs/processchains/{chainId}?forceDownload=true");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"{chainId}.log", download.Content.Headers.ContentDisposition.FileName?.Trim('"'));
    }

    [Fact]
    public async Task NoChainOrNoLogIs404()
    {
        using var unknown = await Client.GetAsync("/logs/processchains/nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nobody", await unknown.Content.ReadAsStringAsync());

        using var traversal = await Client.GetAsync("/logs/processchains/..%2F..%2Fsteep.db");
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);

        var chainId = await EchoChainAsync("soon gone");
        File.Delete(Path.Combine(server.Dir.Path, "logs", chainId + ".log"));
        using var gone = await Client.GetAsync($"/logs/processchains/{chainId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("has no log", await gone.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResponsesAreCompressedWhenTheClientAsksExceptPartialOnes()
    {
        var chainId = await EchoChainAsync(string.Concat(Enumerable.Repeat("compress me ", 50)));
        using var plain = await Client.GetAsync($"/logs/processchains/{chainId}");
        var expected = await plain.Content.ReadAsByteArrayAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gz = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, gz.StatusCode);
        Assert.Equal(["gzip"], gz.Content.Headers.ContentEncoding);
        var compressed = await gz.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < expected.Length, $"{compressed.Length} >= {expected.Length}");
        using (var unzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            await unzip.CopyToAsync(copy);
            Assert.Equal(expected, copy.ToArray());
        }

        using var list = new HttpRequestMessage(HttpMethod.Get, "/processchains");
        list.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var listed = await Client.SendAsync(list);
        Assert.Equal(["gzip"], listed.Content.Headers.ContentEncoding);

        using var part = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        part.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        part.Headers.Range = new RangeHeaderValue(0, 9);
        using var partial = await Client.SendAsync(part);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Empty(partial.Content.Headers.ContentEncoding);
        Assert.Equal(expected[..10], await partial.Content.ReadAsByteArrayAsync());
    }
}
