namespace CloudTransition.Bench;

/// <summary>Counts what a download wrote, and its lines, without keeping it.</summary>
public sealed class CountingStream : Stream
{
    public long Bytes { get; private set; }
    public long Lines { get; private set; }
    public override void Write(byte[] buffer, int offset, int count)
    {
        Bytes += count;
        Lines += buffer.AsSpan(offset, count).Count((byte)'\n');
    }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Bytes;
    public override long Position { get => Bytes; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
