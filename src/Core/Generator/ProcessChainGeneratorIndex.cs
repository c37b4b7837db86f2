using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Steep.Core.Generator;

// The entries of the generator's per-key indexes. Nearly every key has one reader, one waiting collection or one
// parent for-each, so the first one is kept inline in the dictionary entry and only further ones go to a list: a step
// that looks a key up then reads no other object (in a workflow of 100,000s of actions each object read is a likely
// cache miss), and the first step allocates one list per key less.
public sealed partial class ProcessChainGenerator
{
    /// <summary>
    /// Everything about one value key: its value (Steep's variable values) and what depends on it (the pending actions
    /// reading it, the collections waiting for it). Kept together so that setting a value and finding what it affects is
    /// one lookup.
    /// </summary>
    private struct KeyState
    {
        // the value; null when the key has none
        public object? Value;

        // readers: Reader, then MoreReaders (MoreReaders is only non-empty when Reader is set)
        public GAction? Reader;
        public List<GAction>? MoreReaders;

        // collections: (CollectionKey, CollectionIndex), then MoreCollections (likewise)
        public string? CollectionKey;
        public int CollectionIndex;
        public List<(string Key, int Index)>? MoreCollections;

        public readonly bool IsEmpty => Value is null && Reader is null && CollectionKey is null;

        public readonly int ReaderCount => Reader is null ? 0 : 1 + (MoreReaders?.Count ?? 0);

        public readonly GAction ReaderAt(int i) => i == 0 ? Reader! : MoreReaders![i - 1];

        public readonly int CollectionCount => CollectionKey is null ? 0 : 1 + (MoreCollections?.Count ?? 0);

        public readonly (string Key, int Index) CollectionAt(int i) => i == 0 ? (CollectionKey!, CollectionIndex) : MoreCollections![i - 1];

        public void AddReader(GAction a)
        {
            if (Reader is null) Reader = a;
            else (MoreReaders ??= new List<GAction>(1)).Add(a);
        }

        public void AddCollection(string key, int index)
        {
            if (CollectionKey is null) (CollectionKey, CollectionIndex) = (key, index);
            else (MoreCollections ??= new List<(string, int)>(1)).Add((key, index));
        }

        /// <summary>Keeps the pending readers (in order) and returns how many there are.</summary>
        public int KeepPendingReaders()
        {
            int n = ReaderCount, live = 0;
            for (int i = 0; i < n; i++)
            {
                var a = ReaderAt(i);
                if (!a.Pending) continue;
                if (live == 0) Reader = a; else MoreReaders![live - 1] = a; // live <= i: nothing unread is overwritten
                live++;
            }
            if (live == 0) Reader = null;
            if (MoreReaders is { } more) more.RemoveRange(Math.Max(live - 1, 0), more.Count - Math.Max(live - 1, 0));
            return live;
        }

        /// <summary>True if <paramref name="a"/> is the only reader.</summary>
        public readonly bool IsOnlyReader(GAction a) => ReferenceEquals(Reader, a) && MoreReaders is not { Count: > 0 };

        public void ClearReaders()
        {
            Reader = null;
            MoreReaders = null;
        }

        /// <summary>Removes every waiting entry of the collection <paramref name="key"/>, keeping the others in order.</summary>
        public void RemoveCollection(string key)
        {
            int n = CollectionCount, live = 0;
            for (int i = 0; i < n; i++)
            {
                var c = CollectionAt(i);
                if (c.Key == key) continue;
                if (live == 0) (CollectionKey, CollectionIndex) = c; else MoreCollections![live - 1] = c;
                live++;
            }
            if (live == 0) CollectionKey = null;
            if (MoreCollections is { } more) more.RemoveRange(Math.Max(live - 1, 0), more.Count - Math.Max(live - 1, 0));
        }
    }

    /// <summary>
    /// What the generator knows about one action id: that it was executed, or the for-eaches waiting for it (First,
    /// then More). An executed action has nothing waiting for it, so a mark in First says "executed": two references,
    /// which keeps the table entries of 100,000s of sub-actions small and dense.
    /// </summary>
    private struct ActionState
    {
        private static readonly SubActionWait ExecutedMark = new("(executed)");

        private SubActionWait? _first;
        private List<SubActionWait>? _more;

        public readonly bool Executed => ReferenceEquals(_first, ExecutedMark);

        public readonly SubActionWait? FirstWait => Executed ? null : _first;

        public readonly List<SubActionWait>? MoreWaits => Executed ? null : _more;

        public readonly bool IsWaitedForBy(SubActionWait w) =>
            !Executed && (ReferenceEquals(_first, w) || (_more?.Contains(w) ?? false));

        public void AddWait(SubActionWait w)
        {
            if (_first is null) _first = w;
            else (_more ??= new List<SubActionWait>(1)).Add(w);
        }

        /// <summary>Marks the action executed; returns the for-eaches that were waiting for it.</summary>
        public (SubActionWait? First, List<SubActionWait>? More) MarkExecuted()
        {
            var waits = (FirstWait, MoreWaits);
            _first = ExecutedMark;
            _more = null;
            return waits;
        }
    }

    /// <summary>The values part of <see cref="_keys"/> as a read-only dictionary (<see cref="Values"/>).</summary>
    private sealed class ValuesView(ProcessChainGenerator generator) : IReadOnlyDictionary<string, object>
    {
        public object this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No value for '{key}'");

        public IEnumerable<string> Keys => this.Select(p => p.Key);

        public IEnumerable<object> Values => this.Select(p => p.Value);

        public int Count => generator._valueCount;

        public bool ContainsKey(string key) => generator.GetValue(key) is not null;

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
        {
            value = generator.GetValue(key);
            return value is not null;
        }

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            foreach (var (key, entry) in generator._keys)
            {
                if (entry.Value is { } value) yield return new KeyValuePair<string, object>(key, value);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
