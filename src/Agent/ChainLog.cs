using System.Text;

namespace Steep.Agent;

/// <summary>
/// The log file of one process chain: buffered appends from several threads, in arrival order. Writing never fails
/// the chain: after an I/O error the log stops and the services keep running.
/// </summary>
internal sealed class ChainLog : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Lock _gate = new();
    private StreamWriter? _writer;

    private ChainLog(StreamWriter? writer) => _writer = writer;

    /// <summary>A log that writes nothing.</summary>
    public static ChainLog None => new(null);

    /// <summary>Opens (appends to) <c>&lt;directory&gt;/&lt;chainId&gt;.log</c>; a null directory gives <see cref="None"/>.</summary>
    public static ChainLog Open(string? directory, string chainId)
    {
        if (directory is null) return None;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(chainId));
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        // one buffer in the writer is enough; it goes to the OS when an executable ends and when the chain ends
        return new ChainLog(new StreamWriter(stream, Utf8, bufferSize: 32 * 1024));
    }

    /// <summary>The log file name of a chain (ids are generated, but never let one escape the directory).</summary>
    public static string FileName(string chainId)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = chainId.Length == 0 ? "_" : string.Create(chainId.Length, chainId, (span, id) =>
        {
            for (int i = 0; i < id.Length; i++) span[i] = Array.IndexOf(invalid, id[i]) >= 0 ? '_' : id[i];
        });
        return (safe is "." or ".." ? "_" + safe : safe) + ".log";
    }

    /// <summary>Appends a line.</summary>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            if (_writer is null) return;
            try
            {
                _writer.WriteLine(line);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Abandon();
            }
        }
    }

    /// <summary>Hands what is buffered to the operating system (no fsync).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_writer is null) return;
            try
            {
                _writer.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Abandon();
            }
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_writer is null) return;
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // the content that could be written is written; a chain's outcome does not depend on its log
            }
            _writer = null;
        }
    }

    private void Abandon()
    {
        try
        {
            _writer?.BaseStream.Dispose();
        }
        catch (IOException)
        {
            // already broken
        }
        _writer = null;
    }
}
