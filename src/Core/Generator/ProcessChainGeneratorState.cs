using System.Runtime.InteropServices;
using System.Text.Json;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Core.Generator;

// Saving and loading the generator's complete state, so that a new process continues exactly where the old one
// stopped. The indexes are not saved: they are rebuilt on load, and the first step after a load looks at every
// pending action once (which is what Steep does on every step).
public sealed partial class ProcessChainGenerator
{
    private const int StateVersion = 1;

    /// <summary>Writes the complete state as one JSON object.</summary>
    public void SaveState(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("version", StateVersion);
        w.WriteString("idSeed", _ids.Seed);
        w.WriteNumber("idCounter", _ids.Counter);
        w.WriteNumber("nextSeq", _nextSeq);
        w.WriteString("tmpPath", TmpPath);
        w.WriteString("outPath", OutPath);
        if (Priority is { } p) w.WriteNumber("priority", p);

        w.WriteStartArray("actions");
        foreach (var a in _roots) if (a.Pending) WriteAction(w, a, withSeq: true);
        w.WriteEndArray();

        w.WriteStartObject("values");
        foreach (var (k, entry) in _keys)
        {
            if (entry.Value is null) continue;
            w.WritePropertyName(k);
            WriteValue(w, entry.Value);
        }
        w.WriteEndObject();

        w.WriteStartObject("enumPositions");
        foreach (var (k, v) in _enumPositions) w.WriteNumber(k, v);
        w.WriteEndObject();

        w.WriteStartArray("executed");
        foreach (var (id, state) in _actions) if (state.Executed) w.WriteStringValue(id);
        w.WriteEndArray();

        w.WriteStartObject("toCollect");
        foreach (var (k, pc) in _toCollect)
        {
            w.WriteStartArray(k);
            for (int i = 0; i < pc.Items.Count; i++) if (!pc.Collected[i]) WriteVar(w, pc.Items[i].Id, pc.Items[i].Value);
            w.WriteEndArray();
        }
        w.WriteEndObject();

        WriteStrings(w, "readyToRename", _readyToRename);

        w.WriteStartObject("subActionsToWaitFor");
        var waitingFor = SubActionsToWaitForIds();
        foreach (var (k, wait) in _subActionsToWaitFor) WriteStrings(w, k, waitingFor.GetValueOrDefault(wait) ?? []);
        w.WriteEndObject();

        w.WriteStartObject("iterations");
        foreach (var (k, v) in _iterations) w.WriteNumber(k, v);
        w.WriteEndObject();

        // for-eaches with items left for a later step (their cursors are enumPositions); absent when none, as before
        if (_windowed.Count > 0) WriteStrings(w, "windowed", _windowed.Select(f => f.Id));
        w.WriteEndObject();
    }

    /// <summary>The complete state as UTF-8 JSON.</summary>
    public byte[] SaveState()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            SaveState(w);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Recreates a generator from a state written by <see cref="SaveState()"/>; <paramref name="consistencyCheck"/> is
    /// <see cref="GeneratorOptions.ConsistencyCheck"/> (the state does not hold code).
    /// </summary>
    /// <exception cref="GeneratorException">the state is not a generator state of a known version.</exception>
    public static ProcessChainGenerator Load(ReadOnlyMemory<byte> state, IEnumerable<Service> services,
        Func<IReadOnlyList<Executable>, ExecuteAction, bool>? consistencyCheck = null)
    {
        try
        {
            using var doc = JsonDocument.Parse(state);
            return Load(doc.RootElement, services, consistencyCheck);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GeneratorException($"The generator state cannot be read: {e.Message}");
        }
    }

    private static ProcessChainGenerator Load(JsonElement s, IEnumerable<Service> services, Func<IReadOnlyList<Executable>, ExecuteAction, bool>? consistencyCheck)
    {
        if (s.GetProperty("version").GetInt32() != StateVersion)
            throw new GeneratorException($"Unsupported generator state version {s.GetProperty("version")}");
        var g = new ProcessChainGenerator(services, new GeneratorOptions(
            s.GetProperty("tmpPath").GetString()!, s.GetProperty("outPath").GetString()!, s.GetProperty("idSeed").GetString())
            { ConsistencyCheck = consistencyCheck });
        g._ids = new IdGenerator(g._ids.Seed, s.GetProperty("idCounter").GetInt64());
        g.Priority = s.TryGetProperty("priority", out var pr) ? pr.GetInt32() : null;

        foreach (var a in s.GetProperty("actions").EnumerateArray())
        {
            var action = ReadAction(a);
            action.Seq = a.GetProperty("seq").GetInt64();
            action.Pending = true;
            g._pendingCount++;
            g._roots.Add(action);
            g.Index(action);
            g.MarkDirty(action);
        }
        g._nextSeq = s.GetProperty("nextSeq").GetInt64();
        foreach (var p in s.GetProperty("values").EnumerateObject())
        {
            // restored as they were, without touching anything (every pending action is dirty after a load anyway)
            if (ReadValue(p.Value) is not { } value) continue;
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(g._keys, p.Name, out _);
            if (entry.Value is null) g._valueCount++;
            entry.Value = value;
        }
        foreach (var p in s.GetProperty("enumPositions").EnumerateObject()) g._enumPositions[p.Name] = p.Value.GetInt32();
        foreach (var e in s.GetProperty("executed").EnumerateArray())
            CollectionsMarshal.GetValueRefOrAddDefault(g._actions, e.GetString()!, out _).MarkExecuted();
        foreach (var p in s.GetProperty("toCollect").EnumerateObject())
        {
            g.AddToCollection(p.Name, p.Value.EnumerateArray().Select(ReadVar).ToList());
            g._collectionsToCheck.Add(p.Name);
        }
        foreach (var e in s.GetProperty("readyToRename").EnumerateArray()) g._readyToRename.Add(e.GetString()!);
        foreach (var p in s.GetProperty("subActionsToWaitFor").EnumerateObject())
            g.RegisterSubActions(p.Name, p.Value.EnumerateArray().Select(x => x.GetString()!).ToList());
        foreach (var p in s.GetProperty("iterations").EnumerateObject()) g._iterations[p.Name] = p.Value.GetInt32();
        if (s.TryGetProperty("windowed", out var windowed))
        {
            var ids = windowed.EnumerateArray().Select(x => x.GetString()!).ToHashSet();
            foreach (var a in g._roots) if (a is GFor f && ids.Contains(f.Id)) g.AddWindowed(f);
        }
        return g;
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> items)
    {
        w.WriteStartArray(name);
        foreach (var i in items) w.WriteStringValue(i);
        w.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case List<object?> list:
                w.WriteStartArray();
                foreach (var i in list) WriteValue(w, i);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(v as string ?? v.ToString()); break;
        }
    }

    private static object? ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Array => e.EnumerateArray().Select(ReadValue).ToList(),
        JsonValueKind.String => e.GetString(),
        _ => e.GetRawText(),
    };

    private static void WriteVar(Utf8JsonWriter w, GVar v) => WriteVar(w, v.Id, v.Value);

    private static void WriteVar(Utf8JsonWriter w, string id, object? value)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        if (value is not null) { w.WritePropertyName("value"); WriteValue(w, value); }
        w.WriteEndObject();
    }

    private static GVar ReadVar(JsonElement e) =>
        new(e.GetProperty("id").GetString()!, e.TryGetProperty("value", out var v) ? ReadValue(v) : null);

    private static void WriteAction(Utf8JsonWriter w, GAction a, bool withSeq)
    {
        w.WriteStartObject();
        w.WriteString("id", a.Id);
        if (withSeq) w.WriteNumber("seq", a.Seq);
        if (a.DependsOn.Count > 0) WriteStrings(w, "dependsOn", a.DependsOn);
        switch (a)
        {
            case GExec e:
                w.WriteString("type", "execute");
                w.WriteString("service", e.Service);
                w.WriteStartArray("inputs");
                foreach (var i in e.Inputs)
                {
                    w.WriteStartObject();
                    w.WriteString("id", i.Id);
                    w.WritePropertyName("var");
                    WriteVar(w, i.Var);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("outputs");
                foreach (var o in e.Outputs)
                {
                    w.WriteStartObject();
                    w.WriteString("id", o.Id);
                    w.WritePropertyName("var");
                    WriteVar(w, o.Var);
                    if (o.Prefix is not null) w.WriteString("prefix", o.Prefix);
                    if (o.Store) w.WriteBoolean("store", true);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (e.Retries is not null)
                {
                    w.WritePropertyName("retries");
                    JsonSerializer.Serialize(w, e.Retries, SteepJson.Options);
                }
                if (e.Priority is { } priority) w.WriteNumber("priority", priority);
                break;
            case GFor f:
                w.WriteString("type", "for");
                w.WritePropertyName("input"); WriteVar(w, f.Input);
                w.WritePropertyName("enumerator"); WriteVar(w, f.Enumerator);
                if (f.Output is not null) { w.WritePropertyName("output"); WriteVar(w, f.Output); }
                if (f.YieldToOutput is not null) { w.WritePropertyName("yieldToOutput"); WriteVar(w, f.YieldToOutput); }
                if (f.YieldToInput is not null) { w.WritePropertyName("yieldToInput"); WriteVar(w, f.YieldToInput); }
                w.WriteStartArray("actions");
                foreach (var sub in f.Actions) WriteAction(w, sub, withSeq: false);
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    private static GAction ReadAction(JsonElement e)
    {
        var id = e.GetProperty("id").GetString()!;
        IReadOnlyList<string> dependsOn = e.TryGetProperty("dependsOn", out var d)
            ? d.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
        GVar? OptVar(string name) => e.TryGetProperty(name, out var v) ? ReadVar(v) : null;
        return e.GetProperty("type").GetString() switch
        {
            "execute" => new GExec
            {
                Id = id, DependsOn = dependsOn, Service = e.GetProperty("service").GetString()!,
                Inputs = e.GetProperty("inputs").EnumerateArray()
                    .Select(i => new GInput(i.GetProperty("id").GetString()!, ReadVar(i.GetProperty("var")))).ToList(),
                Outputs = e.GetProperty("outputs").EnumerateArray()
                    .Select(o => new GOutput(o.GetProperty("id").GetString()!, ReadVar(o.GetProperty("var")),
                        o.TryGetProperty("prefix", out var p) ? p.GetString() : null,
                        o.TryGetProperty("store", out var st) && st.GetBoolean())).ToList(),
                Retries = e.TryGetProperty("retries", out var r) ? r.Deserialize<RetryPolicy>(SteepJson.Options) : null,
                Priority = e.TryGetProperty("priority", out var pr) ? pr.GetInt32() : null,
            },
            "for" => new GFor
            {
                Id = id, DependsOn = dependsOn, Input = ReadVar(e.GetProperty("input")), Enumerator = ReadVar(e.GetProperty("enumerator")),
                Output = OptVar("output"), YieldToOutput = OptVar("yieldToOutput"), YieldToInput = OptVar("yieldToInput"),
                Actions = e.GetProperty("actions").EnumerateArray().Select(ReadAction).ToList(),
            },
            var t => throw new GeneratorException($"Unknown action type '{t}' in generator state"),
        };
    }
}
