using System.Security.Cryptography;
using System.Text;

namespace CloudTransition.Api.Webhooks;

/// <summary>Standard Webhooks signatures: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")), several space-separated.</summary>
public static class Signature
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(byte[] key, string id, long timestamp, byte[] body) =>
        "v1," + Convert.ToBase64String(Mac(key, id, timestamp.ToString(), body));

    /// <summary>Whether the headers are well formed, fresh, and one of the signatures was made with one of the keys.</summary>
    public static bool Verify(string? id, string? timestamp, string? signatures, byte[] body, IEnumerable<byte[]> keys, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 200 || string.IsNullOrWhiteSpace(signatures)) return false;
        if (!long.TryParse(timestamp, out var seconds) || seconds is < 0 or > 253402300799) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance) return false;

        var presented = signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal)).Select(s => Decode(s[3..])).OfType<byte[]>().ToList();
        if (presented.Count == 0) return false;

        var matched = false;
        foreach (var key in keys)
        {
            var expected = Mac(key, id, timestamp!, body);
            foreach (var signature in presented) matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
        }
        return matched;
    }

    private static byte[] Mac(byte[] key, string id, string timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static byte[]? Decode(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : null;
    }
}
