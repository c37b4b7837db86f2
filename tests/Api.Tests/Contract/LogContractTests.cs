using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests.Contract;

/// <summary>Issue 15: Steep's web UI reads logs with <c>x-range: bytes=-2000000</c> and expects 200 and <c>x-content-range</c>.</summary>
public sealed class LogContractTests(ContractServer server) : IClassFixture<ContractServer>
{
    private async Task<(string ChainId, byte[] Log)> EchoLogAsync(string text)
    {
        var id = (await server.SubmitAsync(ApiServer.EchoWorkflow(text)))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        var chainId = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!["id"]!.GetValue<string>();
        using var full = await server.Client.GetAsync($"/logs/processchains/{chainId}");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        return (chainId, await full.Content.ReadAsByteArrayAsync());
    }

    private async Task<HttpResponseMessage> GetAsync(string chainId, string? xRange, bool gzip = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        if (xRange is not null) request.Headers.TryAddWithoutValidation("x-range", xRange);
        if (gzip) request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        return await server.Client.SendAsync(request);
    }

    [Fact]
    public async Task XRangeAnswers200WithXContentRange()
    {
        var (chainId, log) = await EchoLogAsync("x-range from the web ui");
        int size = log.Length;

        using (var all = await GetAsync(chainId, "bytes=-2000000"))
        {
            Assert.Equal(HttpStatusCode.OK, all.StatusCode);
            Assert.Equal($"bytes 0-{size - 1}/{size}", all.Headers.GetValues("x-content-range").Single());
            Assert.Equal("text/plain", all.Content.Headers.ContentType!.ToString());
            Assert.Equal(size, all.Content.Headers.ContentLength);
            Assert.Null(all.Content.Headers.ContentRange);
            Assert.Equal(log, await all.Content.ReadAsByteArrayAsync());
        }
        using (var tail = await GetAsync(chainId, "bytes=-5"))
        {
            Assert.Equal(HttpStatusCode.OK, tail.StatusCode);
            Assert.Equal($"bytes {size - 5}-{size - 1}/{size}", tail.Headers.GetValues("x-content-range").Single());
            Assert.Equal(log[^5..], await tail.Content.ReadAsByteArrayAsync());
        }
        using (var middle = await GetAsync(chainId, "bytes=2-6"))
        {
            Assert.Equal($"bytes 2-6/{size}", middle.Headers.GetValues("x-content-range").Single());
            Assert.Equal(log[2..7], await middle.Content.ReadAsByteArrayAsync());
        }
        using (var open = await GetAsync(chainId, "bytes=3-"))
        {
            Assert.Equal($"bytes 3-{size - 1}/{size}", open.Headers.GetValues("x-content-range").Single());
            Assert.Equal(log[3..], await open.Content.ReadAsByteArrayAsync());
        }
        // the reason for x-range: the part may be compressed
        using (var gz = await GetAsync(chainId, "bytes=-2000000", gzip: true))
        {
            Assert.Equal(HttpStatusCode.OK, gz.StatusCode);
            Assert.Equal($"bytes 0-{size - 1}/{size}", gz.Headers.GetValues("x-content-range").Single());
        }
    }

    [Fact]
    public async Task RangeStillAnswers206AndBadRangesAnswer416()
    {
        var (chainId, log) = await EchoLogAsync("range");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/logs/processchains/{chainId}");
        request.Headers.Range = new RangeHeaderValue(0, 3);
        using (var partial = await server.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal($"bytes 0-3/{log.Length}", partial.Content.Headers.ContentRange!.ToString());
            Assert.Equal("text/plain", partial.Content.Headers.ContentType!.ToString());
        }
        using (var garbage = await GetAsync(chainId, "lines=1-2"))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, garbage.StatusCode);
            Assert.Contains("x-range", await garbage.Content.ReadAsStringAsync());
        }
        using (var beyond = await GetAsync(chainId, $"bytes={log.Length + 10}-"))
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        using (var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/logs/processchains/{chainId}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(log.Length, head.Content.Headers.ContentLength);
        }
        Assert.Contains(Encoding.UTF8.GetBytes("range")[0], log);
    }
}
