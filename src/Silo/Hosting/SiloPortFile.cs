using System.Globalization;

namespace Steep.Silo.Hosting;

/// <summary>
/// The silo port a cluster silo chose when none is configured, kept in its data directory (<c>silo-port</c>) and taken
/// again on the next start if it is free.
/// </summary>
/// <remarks>
/// Why: Orleans identifies a silo by address, port and start time. A silo that starts on the address and port of an
/// entry that is still Active in the membership table (its predecessor was killed, or the whole cluster stopped) declares
/// that older entry dead at once, as its own earlier self. On a new port, the old entry stays Active until others vote it
/// dead or it goes stale, and a new silo does not join while it cannot reach an Active, non-stale member.
/// </remarks>
public static class SiloPortFile
{
    /// <summary>The file's name inside the data directory.</summary>
    public const string FileName = "silo-port";

    /// <summary>
    /// The port recorded in <paramref name="dataDirectory"/> when it is still free, else a new one from
    /// <paramref name="freePort"/>, which is then recorded.
    /// </summary>
    public static int Choose(string dataDirectory, Func<int> freePort, Func<int, bool> isFree)
    {
        ArgumentNullException.ThrowIfNull(freePort);
        ArgumentNullException.ThrowIfNull(isFree);
        var path = Path.Combine(dataDirectory, FileName);
        if (Read(path) is { } remembered && isFree(remembered)) return remembered;
        int port = freePort();
        try
        {
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllText(path, port.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not remembered: the next start takes another port, and its old entry is declared dead the slower way
        }
        return port;
    }

    private static int? Read(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                ? port
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // none yet (FileNotFoundException is an IOException), or unreadable: choose anew
        }
    }
}
