namespace Steep.Core.Tests.Conformance;

/// <summary>Python equality as an <see cref="IEqualityComparer{T}"/>, for sets of document values.</summary>
internal sealed class PyEquality : IEqualityComparer<object?>
{
    public static readonly PyEquality Instance = new();

    public new bool Equals(object? x, object? y) => Py.Eq(x, y);

    public int GetHashCode(object? obj) => Py.Hash(obj);
}
