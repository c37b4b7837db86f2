namespace Steep.Core.Tests.Conformance;

/// <summary>
/// check.py's matching of expected against actual process chains (unify_args, unify_chain, resemblance,
/// match_chains), rule for rule: everything must be equal except generated names, which must rename consistently.
/// </summary>
internal static class ChainMatcher
{
    /// <summary>Pairs expected with actual chains in any order; returns the extended renaming.</summary>
    public static Renaming MatchChains(List<object?> expected, List<object?> actual, Renaming ren, string where)
    {
        if (expected.Count != actual.Count)
            throw new Mismatch($"{where}: expected {expected.Count} process chains, got {actual.Count}");
        Mismatch? last = null;

        Renaming? Search(int i, HashSet<int> used, Renaming r)
        {
            if (i == expected.Count) return r;
            // OrderBy is stable, like Python's sorted
            var order = Enumerable.Range(0, actual.Count).Where(k => !used.Contains(k))
                .OrderBy(k => -Resemblance(expected[i], actual[k])).ToList();
            foreach (var k in order)
            {
                var r2 = r.Copy();
                try
                {
                    UnifyChain(expected[i], actual[k], r2, $"{where} chain {i}");
                }
                catch (Mismatch m)
                {
                    last = m;
                    continue;
                }
                var done = Search(i + 1, [.. used, k], r2);
                if (done is not null) return done;
            }
            return null;
        }

        return Search(0, [], ren)
            ?? throw new Mismatch($"{where}: no pairing of process chains fits; last difference: {last?.Message}");
    }

    /// <summary>
    /// How much an actual chain's names resemble an expected chain's: only orders the pairings tried, so that chains
    /// alike but for their generated names (two branches of a fork) are paired the likely way first.
    /// </summary>
    private static int Resemblance(object? e, object? a)
    {
        static List<string> Names(object? c)
        {
            var output = new List<string>();
            foreach (var x in Py.ListOrEmpty(Py.Get(c, "executables")))
            {
                output.Add(Py.Str(Py.Get(x, "id")));
                output.AddRange(Py.ListOrEmpty(Py.Get(x, "arguments"))
                    .Select(g => Py.Str(Py.DictOrEmpty(Py.Get(g, "variable")).Get("id"))));
            }
            return output;
        }

        int score = 0;
        foreach (var (en, an) in Names(e).Zip(Names(a)))
        {
            var head = en.Split('$')[0];
            if (en == an) score += 2;
            else if (head.Length > 0 && an.Contains(head, StringComparison.Ordinal)) score += 1;
        }
        return score;
    }

    private static void UnifyChain(object? e, object? a, Renaming ren, string where)
    {
        var eexes = Py.ListOrEmpty(Py.Get(e, "executables"));
        var aexes = Py.ListOrEmpty(Py.Get(a, "executables"));
        if (eexes.Count != aexes.Count)
            throw new Mismatch($"{where}: expected {eexes.Count} executables, got {aexes.Count}");
        var ecaps = CapabilitySet(e);
        var acaps = CapabilitySet(a);
        if (!ecaps.SetEquals(acaps))
            throw new Mismatch($"{where}: requiredCapabilities [{string.Join(", ", acaps.Select(Py.Str).Order())}] != " +
                $"expected [{string.Join(", ", ecaps.Select(Py.Str).Order())}]");
        for (int j = 0; j < eexes.Count; j++)
        {
            var ee = eexes[j];
            var ae = aexes[j];
            var w = $"{where} executable {j} ({Py.Str(Py.Get(ee, "id"))})";
            foreach (var (key, dflt) in new (string, object?)[] { ("serviceId", null), ("path", null), ("runtime", "other") })
            {
                if (CheckRules.NormStr(Py.Get(ee, key, dflt)) != CheckRules.NormStr(Py.Get(ae, key, dflt)))
                    throw new Mismatch($"{w}: {key} '{Py.Str(Py.Get(ae, key))}' != expected '{Py.Str(Py.Get(ee, key, dflt))}'");
            }
            if (ren.TrackExecutables) ren.Bind(Renaming.Exe, Py.Get(ee, "id"), Py.Get(ae, "id"), $"{w} id");
            UnifyArgs(Py.ListOrEmpty(Py.Get(ee, "arguments")), Py.ListOrEmpty(Py.Get(ae, "arguments")), ren, w, runtimeArgs: false);
            UnifyArgs(Py.ListOrEmpty(Py.Get(ee, "runtimeArgs")), Py.ListOrEmpty(Py.Get(ae, "runtimeArgs")), ren,
                w + " runtimeArgs", runtimeArgs: true);
            UnifyRetries(Py.Get(ee, "retries"), Py.Get(ae, "retries"), w);
        }
    }

    private static HashSet<object?> CapabilitySet(object? chain) =>
        new(Py.ListOrEmpty(Py.Get(chain, "requiredCapabilities")), PyEquality.Instance);

    private static void UnifyRetries(object? er, object? ar, string w)
    {
        if (!Py.Truthy(er) && !Py.Truthy(ar)) return;
        var e = Py.DictOrEmpty(er);
        var a = Py.DictOrEmpty(ar);
        foreach (var key in new[] { "maxAttempts", "exponentialBackoff" })
        {
            if (CheckRules.NormStr(e.Get(key)) != CheckRules.NormStr(a.Get(key)))
                throw new Mismatch($"{w}: retries.{key} '{Py.Str(a.Get(key))}' != expected '{Py.Str(e.Get(key))}'");
        }
        foreach (var key in new[] { "delay", "maxDelay" })
        {
            if (!Py.Eq(CheckRules.DurationMs(e.Get(key)), CheckRules.DurationMs(a.Get(key))))
                throw new Mismatch($"{w}: retries.{key} '{Py.Str(a.Get(key))}' != expected '{Py.Str(e.Get(key))}'");
        }
    }

    private static void UnifyArgs(List<object?> expected, List<object?> actual, Renaming ren, string where, bool runtimeArgs)
    {
        if (expected.Count != actual.Count)
            throw new Mismatch($"{where}: expected {expected.Count} arguments, got {actual.Count}: " +
                $"[{string.Join(", ", actual.Select(x => Py.Str(Py.Get(x, "id"))))}]");
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            var w = $"{where} argument {i} ({Py.Str(Py.Get(e, "id"))})";
            if (!runtimeArgs && !Py.Eq(Py.Get(e, "id"), Py.Get(a, "id")))
                throw new Mismatch($"{w}: id '{Py.Str(Py.Get(a, "id"))}' != expected '{Py.Str(Py.Get(e, "id"))}'");
            foreach (var (key, dflt) in new (string, object?)[] { ("type", "input"), ("dataType", "string"), ("label", null) })
            {
                if (runtimeArgs && key == "type") continue;
                object? ev = Py.Get(e, key, dflt), av = Py.Get(a, key, dflt);
                if (CheckRules.NormStr(ev) != CheckRules.NormStr(av))
                    throw new Mismatch($"{w}: {key} '{Py.Str(av)}' != expected '{Py.Str(ev)}'");
            }
            var evar = Py.DictOrEmpty(Py.Get(e, "variable"));
            var avar = Py.DictOrEmpty(Py.Get(a, "variable"));
            bool isOutput = Py.Eq(Py.Get(e, "type"), "output");
            var fwdVar = ren.Fwd(Renaming.Var);
            if (isOutput)
            {
                // results are keyed by output variable ids: those must map one to one
                ren.Bind(Renaming.Var, evar.Get("id"), avar.Get("id"), $"{w} variable id");
            }
            else if (fwdVar.Contains(evar.Get("id")) && !Py.Eq(fwdVar[evar.Get("id")], avar.Get("id")))
            {
                throw new Mismatch($"{w}: variable id '{Py.Str(avar.Get("id"))}' != '{Py.Str(fwdVar[evar.Get("id")])}', " +
                    "the id this output variable got earlier");
            }
            var evalue = CheckRules.NormStr(evar.Get("value"));
            var avalue = CheckRules.NormStr(avar.Get("value"));
            if (isOutput)
            {
                if (!ren.Fwd(Renaming.Value).Contains(evalue))
                {
                    var stem = CheckRules.Stem(evalue ?? "");
                    if (avalue is null || !avalue.StartsWith(stem, StringComparison.Ordinal) || avalue.Length <= stem.Length)
                        throw new Mismatch($"{w}: generated output '{avalue}' does not have the form '{stem}'+<generated name> " +
                            $"(expected like '{evalue}')");
                }
                ren.Bind(Renaming.Value, evalue, avalue, $"{w} output value");
            }
            else
            {
                var want = ren.TranslateValue(evalue);
                if (!Py.Eq(CheckRules.NormPath(want), CheckRules.NormPath(avalue)))
                    throw new Mismatch($"{w}: value '{avalue}' != expected '{Py.Str(want)}'");
            }
        }
    }
}
