using System.Text;

namespace Davies.Studies;

/// <summary>
/// A sweep's output file written incrementally (<see cref="SweepFile"/> describes the format): the header, then one
/// line per point as soon as it is done, flushed, so that a killed run loses only the points in flight. With
/// <c>resume</c>, an existing file of the same sweep is continued: its points are read back (<see cref="Existing"/>), a
/// last line cut short by a kill is dropped, and new points are appended. <see cref="Complete"/> puts the lines in grid
/// order if they were written out of order (several jobs), by writing a new file and renaming it.
/// </summary>
public sealed class SweepOutputFile : IDisposable
{
    private readonly string _headerLine;
    private readonly List<(int Index, string Line)> _lines = [];
    private StreamWriter? _writer;
    private bool _ordered = true;

    private SweepOutputFile(string path, SweepHeader header)
    {
        Path = path;
        Header = header;
        _headerLine = header.ToJsonLine();
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The sweep it belongs to.</summary>
    public SweepHeader Header { get; }

    /// <summary>The points read back from the file when resuming (empty otherwise), in file order.</summary>
    public IReadOnlyList<SweepPointResult> Existing { get; private set; } = [];

    /// <summary>
    /// Opens the output file of a sweep. Without <paramref name="resume"/> an existing file is an error unless
    /// <paramref name="overwrite"/>; with it, an existing file must hold the same sweep (the same header line) and only
    /// points of <paramref name="shard"/>, each once.
    /// </summary>
    /// <exception cref="SweepException">The file exists (and neither flag is given), belongs to another sweep or shard, is malformed, or cannot be written.</exception>
    public static SweepOutputFile Open(string path, SweepHeader header, SweepShard shard, bool resume, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(header);
        var file = new SweepOutputFile(path, header);
        bool exists = File.Exists(path);
        if (Directory.Exists(path)) throw new SweepException($"{path}: is a directory, not an output file");
        if (exists && !resume && !overwrite)
            throw new SweepException($"{path}: the file exists; add --resume to continue that sweep (its points are not computed again) or --overwrite to replace it");
        long keep = 0;
        if (exists && resume) keep = file.ReadBack(shard);
        try
        {
            var stream = new FileStream(path, keep > 0 ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.Write, FileShare.Read);
            if (keep > 0)
            {
                stream.SetLength(keep); // drops a last line cut short by a kill
                stream.Seek(keep, SeekOrigin.Begin);
            }
            file._writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
            if (keep == 0)
            {
                file._writer.Write(file._headerLine);
                file._writer.Write('\n');
                file._writer.Flush();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{path}: cannot write the file: {e.Message}", e);
        }
        return file;
    }

    /// <summary>Reads an existing file for --resume; returns the length to keep (0: start afresh).</summary>
    private long ReadBack(SweepShard shard)
    {
        var (lines, length) = SweepFile.ReadLines(Path);
        if (lines.Count == 0) return 0; // killed before the header was complete
        if (lines[0] != _headerLine)
        {
            SweepHeader.Parse(lines[0], Path);
            throw new SweepException($"{Path}: written by a different sweep ({SweepFile.Difference(lines[0], _headerLine, "the file", "this run")}); " +
                                     "--resume continues only the same sweep: use another --output, or --overwrite to replace it");
        }
        var existing = new List<SweepPointResult>();
        var seen = new Dictionary<int, int>();
        for (int i = 1; i < lines.Count; i++)
        {
            string where = $"{Path} (line {i + 1})";
            var row = SweepFile.ParseRow(Header, lines[i], where);
            if (!shard.Contains(row.Index))
                throw new SweepException($"{where}: point {row.Index} is not in shard {shard}: the file was written by another shard");
            if (seen.TryGetValue(row.Index, out int other))
                throw new SweepException($"{where}: point {row.Index} ({Header.Grid.Describe(row.Index)}) is already on line {other}");
            seen[row.Index] = i + 1;
            Note(row.Index, lines[i]);
            existing.Add(row);
        }
        Existing = existing;
        return length;
    }

    private void Note(int index, string line)
    {
        if (_lines.Count > 0 && index < _lines[^1].Index) _ordered = false;
        _lines.Add((index, line));
    }

    /// <summary>Appends one point's line and flushes it to the operating system.</summary>
    /// <exception cref="SweepException">The file cannot be written.</exception>
    public void Append(SweepPointResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var writer = _writer ?? throw new ObjectDisposedException(nameof(SweepOutputFile));
        string line = SweepFile.FormatRow(Header, row);
        try
        {
            writer.Write(line);
            writer.Write('\n');
            writer.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{Path}: cannot write the file: {e.Message}", e);
        }
        Note(row.Index, line);
    }

    /// <summary>Closes the file, first rewriting it in grid order when points were appended out of order.</summary>
    /// <exception cref="SweepException">The file cannot be written.</exception>
    public void Complete()
    {
        Close();
        if (_ordered) return;
        SweepFile.WriteAtomically(Path, _headerLine, _lines.OrderBy(l => l.Index).Select(l => l.Line));
        _ordered = true;
    }

    private void Close()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepException($"{Path}: cannot write the file: {e.Message}", e);
        }
        finally
        {
            _writer = null;
        }
    }

    /// <summary>Closes the file as it is (points in the order they were written); call <see cref="Complete"/> to order them.</summary>
    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (SweepException)
        {
            // Disposing after a failure: the failure is already being reported.
        }
    }
}
