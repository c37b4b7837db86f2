namespace Steep.Grains;

/// <summary>Submission ids in Steep's style: 20 lower-case base-32 characters, time-ordered, with random bits.</summary>
public static class UniqueIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static long _last;

    /// <summary>A new id; ids created later sort later.</summary>
    public static string Next(TimeProvider clock)
    {
        long t = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long prev, next;
        do { prev = Interlocked.Read(ref _last); next = Math.Max(prev + 1, t); } while (Interlocked.CompareExchange(ref _last, next, prev) != prev);
        Span<char> s = stackalloc char[20];
        for (int i = 8; i >= 0; i--) { s[i] = Alphabet[(int)(next & 31)]; next >>= 5; }
        for (int i = 9; i < 20; i++) s[i] = Alphabet[Random.Shared.Next(32)];
        return new string(s);
    }
}
