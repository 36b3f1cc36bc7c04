using System.Text;

namespace CloudTransition.Api.RelayDiscovery;

/// <summary>
/// Splits one log line into its comma-separated fields, as Exchange writes them: a field holding a comma or a quote is
/// quoted, with quotes doubled. The fields stay spans of the line; only a field with doubled quotes is copied.
/// </summary>
public sealed class CsvFields
{
    private readonly List<(int Start, int Length, bool Quoted)> _fields = new(32);
    private byte[] _line = [];

    public int Count => _fields.Count;

    /// <summary>False when a quoted field is not closed.</summary>
    public bool Split(ReadOnlySpan<byte> line)
    {
        _fields.Clear();
        if (_line.Length < line.Length) _line = new byte[Math.Max(line.Length, 2 * _line.Length)];
        line.CopyTo(_line);
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var start = ++i;
                while (true)
                {
                    var close = line[i..].IndexOf((byte)'"');
                    if (close < 0) return false;
                    i += close + 1;
                    if (i < line.Length && line[i] == '"') { i++; continue; }
                    break;
                }
                _fields.Add((start, i - 1 - start, true));
                if (i < line.Length && line[i] != ',') return false;
            }
            else
            {
                var comma = line[i..].IndexOf((byte)',');
                var length = comma < 0 ? line.Length - i : comma;
                _fields.Add((i, length, false));
                i += length;
            }
            if (i >= line.Length) return true;
            i++; // the comma
            if (i == line.Length) { _fields.Add((i, 0, false)); return true; }
        }
    }

    /// <summary>The field's bytes (quotes removed; doubled quotes still doubled: use <see cref="Text"/> where they matter).</summary>
    public ReadOnlySpan<byte> this[int index] => index < _fields.Count ? _line.AsSpan(_fields[index].Start, _fields[index].Length) : [];

    public string Text(int index)
    {
        var text = Encoding.UTF8.GetString(this[index]);
        return index < _fields.Count && _fields[index].Quoted ? text.Replace("\"\"", "\"") : text;
    }
}
