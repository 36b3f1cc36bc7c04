using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>
/// The one route that takes a large body: Exchange's logs, up to 2 GiB on the wire (gzip or not) and 20 GiB once
/// decompressed, read as they stream. Every other route keeps the 4 MiB limit.
/// </summary>
public static class RelayLogBody
{
    public const long MaxWireBytes = 2L << 30;
    public const long MaxLogBytes = 20L << 30;
    public static readonly string[] MediaTypes = ["text/plain", "text/csv", "application/octet-stream"];

    /// <summary>Whether the request goes to an endpoint that streams a text body of its own (so the guards let it be large and plain text).</summary>
    public static bool Is(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<Common.RawTextBody>() is not null;

    public static bool IsReadable(string? contentType) =>
        contentType is not null && MediaTypes.Contains(contentType.Split(';')[0].Trim().ToLowerInvariant());

    /// <summary>Lifts Kestrel's body limit for this request to the route's own.</summary>
    public static void AllowLarge(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxWireBytes;
    }

    /// <summary>The log as it was sent: decompressed when `Content-Encoding: gzip`; null with the problem when the encoding is not one this reads.</summary>
    public static (Stream? Log, string? Problem) Open(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        return encoding switch
        {
            "" or "identity" => (new Capped(request.Body), null),
            "gzip" or "x-gzip" => (new Capped(new GZipStream(request.Body, CompressionMode.Decompress)), null),
            _ => (null, $"Content-Encoding '{encoding}' is not read here: send the logs as they are or gzip them."),
        };
    }

    /// <summary>Thrown when a log decompresses to more than the route takes.</summary>
    public sealed class TooLarge() : Exception($"The logs decompress to more than {MaxLogBytes >> 30} GiB.");

    private sealed class Capped(Stream inner) : Stream
    {
        private long _read;
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation = default)
        {
            var n = await inner.ReadAsync(buffer, cancellation);
            if ((_read += n) > MaxLogBytes) throw new TooLarge();
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the log asynchronously.");
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
