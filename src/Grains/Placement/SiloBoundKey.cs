using System.Globalization;

namespace Steep.Grains.Placement;

/// <summary>
/// The key format of silo-bound grains: the silo's name (<c>steep.cluster.name</c>), alone or followed by
/// <c>-N</c> (an agent <c>a-1</c> lives on silo <c>a</c>). Default silo names (<c>host-pid</c>) keep the agent ids
/// Steep always had (<c>host-pid-N</c>).
/// </summary>
public static class SiloBoundKey
{
    /// <summary>The key of the <paramref name="number"/>th agent of silo <paramref name="siloName"/>.</summary>
    public static string Agent(string siloName, int number) => siloName + "-" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The silo names <paramref name="key"/> may mean, the likelier first: the whole key, then the key without a
    /// trailing <c>-N</c>.
    /// </summary>
    public static IEnumerable<string> Candidates(string key)
    {
        yield return key;
        int dash = key.LastIndexOf('-');
        if (dash > 0 && dash < key.Length - 1 && key.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0) yield return key[..dash];
    }
}
