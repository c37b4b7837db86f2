using System.Collections;

namespace Steep.Core.Tests.Conformance;

/// <summary>
/// A Python dict: insertion-ordered, keys compared with Python equality, None allowed as a key. Used for documents
/// and for the renaming tables, whose keys are whatever values the expected results hold.
/// </summary>
internal sealed class PyDict : IEnumerable<KeyValuePair<object?, object?>>
{
    private static readonly object NoneKey = new();
    private readonly Dictionary<object, object?> _items;
    private readonly List<object> _order; // Dictionary's order is only guaranteed without removals; keep our own

    public PyDict()
    {
        _items = new Dictionary<object, object?>(KeyComparer.Instance);
        _order = [];
    }

    private PyDict(PyDict other)
    {
        _items = new Dictionary<object, object?>(other._items, KeyComparer.Instance);
        _order = [.. other._order];
    }

    public int Count => _items.Count;

    public bool Contains(object? key) => _items.ContainsKey(key ?? NoneKey);

    public object? Get(object? key, object? dflt = null) => _items.TryGetValue(key ?? NoneKey, out var v) ? v : dflt;

    public object? this[object? key]
    {
        get => _items.TryGetValue(key ?? NoneKey, out var v) ? v : throw new KeyNotFoundException(Py.Str(key));
        set
        {
            var k = key ?? NoneKey;
            if (!_items.ContainsKey(k)) _order.Add(k);
            _items[k] = value;
        }
    }

    public IEnumerable<object?> Keys => _order.Select(k => ReferenceEquals(k, NoneKey) ? null : k);

    public PyDict Copy() => new(this);

    public IEnumerator<KeyValuePair<object?, object?>> GetEnumerator() =>
        Keys.Select(k => new KeyValuePair<object?, object?>(k, Get(k))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            ReferenceEquals(x, NoneKey) || ReferenceEquals(y, NoneKey) ? ReferenceEquals(x, y) : Py.Eq(x, y);

        public int GetHashCode(object obj) => ReferenceEquals(obj, NoneKey) ? 0 : Py.Hash(obj);
    }
}
