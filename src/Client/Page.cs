namespace Steep.Client;

/// <summary>One page of a list the server pages (submissions, process chains, VMs).</summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <param name="Items">The items on this page, in the server's order (newest first).</param>
/// <param name="Offset">The offset of the first item (<c>x-page-offset</c>).</param>
/// <param name="Size">The maximum number of items on the page (<c>x-page-size</c>), not the number returned.</param>
/// <param name="Total">The number of items that match the request on all pages (<c>x-page-total</c>).</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int Offset, int Size, int Total)
{
    /// <summary>Whether items follow this page.</summary>
    public bool HasMore => Offset + Items.Count < Total;

    /// <summary>The offset of the next page, to pass as <c>offset</c> of the next request.</summary>
    public int NextOffset => Offset + Items.Count;
}
