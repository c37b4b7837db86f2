using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Steep.Api.Http;

/// <summary>
/// Answers <c>HEAD</c> for every <c>GET</c> route, as Steep does: the request runs as a <c>GET</c> whose body is
/// counted and dropped, so the headers (and <c>Content-Length</c>) are exactly those of the <c>GET</c>.
/// </summary>
internal sealed class HeadRequestMiddleware(RequestDelegate next)
{
    private static readonly object HeadKey = new();

    /// <summary>True while a <c>HEAD</c> request runs as a <c>GET</c> (endpoints that stream forever stop after the headers).</summary>
    public static bool IsHead(HttpContext context) => context.Items.ContainsKey(HeadKey);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var counter = new CountingStream();
        context.Items[HeadKey] = true;
        context.Request.Method = HttpMethods.Get;
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(counter, original));
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(original);
            context.Request.Method = HttpMethods.Head;
            context.Items.Remove(HeadKey);
        }
        // the headers have not gone out yet (nothing reached the real body): the length is what a GET would send
        if (!context.Response.HasStarted && context.Response.ContentLength is null) context.Response.ContentLength = counter.Length;
    }

    /// <summary>A write-only stream that only counts.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }
    }
}
