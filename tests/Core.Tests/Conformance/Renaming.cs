namespace Steep.Core.Tests.Conformance;

/// <summary>
/// check.py's consistent one-to-one renaming of generated names, per namespace ("var", "exe", "value"): expected
/// names (from Steep's own runs) are bound to the names this generator chose, and must stay bound over all steps.
/// </summary>
internal sealed class Renaming
{
    public const string Var = "var";
    public const string Exe = "exe";
    public const string Value = "value";

    private readonly Dictionary<string, PyDict> _fwd;
    private readonly Dictionary<string, PyDict> _bwd;

    /// <param name="trackExecutables">only where a case feeds executed executable ids must executable ids map one to one</param>
    public Renaming(bool trackExecutables)
    {
        TrackExecutables = trackExecutables;
        _fwd = new() { [Var] = new(), [Exe] = new(), [Value] = new() };
        _bwd = new() { [Var] = new(), [Exe] = new(), [Value] = new() };
    }

    private Renaming(Renaming other)
    {
        TrackExecutables = other.TrackExecutables;
        _fwd = other._fwd.ToDictionary(p => p.Key, p => p.Value.Copy());
        _bwd = other._bwd.ToDictionary(p => p.Key, p => p.Value.Copy());
    }

    public bool TrackExecutables { get; }

    /// <summary>Expected name to actual name, per namespace.</summary>
    public PyDict Fwd(string ns) => _fwd[ns];

    public Renaming Copy() => new(this);

    public void Bind(string ns, object? expected, object? actual, string what)
    {
        var fwd = _fwd[ns];
        var bwd = _bwd[ns];
        if (fwd.Contains(expected))
        {
            if (!Py.Eq(fwd[expected], actual))
                throw new Mismatch($"{what}: expected '{Py.Str(expected)}' to stand for '{Py.Str(fwd[expected])}' as before, got '{Py.Str(actual)}'");
            return;
        }
        if (bwd.Contains(actual))
            throw new Mismatch($"{what}: '{Py.Str(actual)}' already stands for '{Py.Str(bwd[actual])}', cannot also stand for '{Py.Str(expected)}'");
        fwd[expected] = actual;
        bwd[actual] = expected;
    }

    /// <summary>Maps an expected non-output value to what the generator must show.</summary>
    public object? TranslateValue(object? v)
    {
        if (v is not string s) return v;
        var m = _fwd[Value];
        if (m.Contains(s)) return m[s];
        // a path below a generated output (e.g. a file inside an output directory); check.py would fail on a None key
        // here, which no case reaches, so such keys are simply not considered
        string? best = null;
        foreach (var key in m.Keys)
        {
            if (key is string k && s.StartsWith(k + "/", StringComparison.Ordinal) && (best is null || k.Length > best.Length))
                best = k;
        }
        if (best is not null) return CheckRules.NormPath(Py.Str(m[best]) + "/" + s[best.Length..]);
        return s;
    }
}
