using System.Buffers;
using System.Security.Cryptography;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>
/// Reads a log body as lines of bytes (LF or CRLF, a UTF-8 byte order mark at the start of any line dropped, as where files
/// were concatenated) and hashes what it reads, so a re-sent log is recognised. Lines are handed over as spans into one
/// reused buffer: reading a gigabyte keeps one megabyte.
/// </summary>
public static class LogLines
{
    public const int MaxLineBytes = 1 << 20;
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Feeds every line to <paramref name="parser"/> until the body ends or the parser gives up; answers the SHA-256 of the bytes read.</summary>
    public static async Task<string> ReadAsync(Stream body, RelayLogParser parser, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(2 * MaxLineBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var (filled, skipping) = (0, false);
            while (!parser.GaveUp)
            {
                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellation);
                if (read == 0) break;
                hash.AppendData(buffer, filled, read);
                filled += read;
                var consumed = Lines(buffer.AsSpan(0, filled), parser, ref skipping);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled >= MaxLineBytes)
                {
                    parser.LineTooLong();
                    (filled, skipping) = (0, true);
                }
            }
            if (filled > 0 && !skipping && !parser.GaveUp) parser.Line(Trim(buffer.AsSpan(0, filled)));
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hands over each complete line; answers how many bytes were used. A line longer than the limit is skipped to its end.</summary>
    private static int Lines(ReadOnlySpan<byte> data, RelayLogParser parser, ref bool skipping)
    {
        var start = 0;
        while (start < data.Length && !parser.GaveUp)
        {
            var end = data[start..].IndexOf((byte)'\n');
            if (end < 0) break;
            if (skipping) skipping = false;
            else parser.Line(Trim(data.Slice(start, end)));
            start += end + 1;
        }
        return start;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
        return line.StartsWith(Bom) ? line[3..] : line;
    }
}
