namespace Steep.Core.Generator;

/// <summary>Generates short unique names: a seed followed by a counter, both in lower-case base 32.</summary>
internal sealed class IdGenerator(string seed, long counter)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public string Seed { get; } = seed;
    public long Counter { get; private set; } = counter;

    public static string RandomSeed()
    {
        Span<char> chars = stackalloc char[10];
        for (int i = 0; i < chars.Length; i++) chars[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        return new string(chars);
    }

    public string Next()
    {
        long n = Counter++;
        Span<char> buf = stackalloc char[14];
        int pos = buf.Length;
        do { buf[--pos] = Alphabet[(int)(n & 31)]; n >>= 5; } while (n > 0);
        return string.Concat(Seed.AsSpan(), buf[pos..]);
    }
}
