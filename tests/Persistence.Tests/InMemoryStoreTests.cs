using Steep.Persistence.InMemory;
using Xunit.Abstractions;

namespace Steep.Persistence.Tests;

/// <summary>The store contract against <see cref="InMemoryStore"/>.</summary>
public sealed class InMemoryStoreTests(ITestOutputHelper output) : StoreContractTests(output)
{
    /// <inheritdoc />
    protected override object CreateStore() => new InMemoryStore();
}
