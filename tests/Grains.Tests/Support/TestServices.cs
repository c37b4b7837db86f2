using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Grains.Tests.Support;

/// <summary>The service metadata the grain tests run against: <c>cp</c> (input <c>i</c>, output <c>o</c>) and <c>gpu</c>, which requires the capability <c>gpu</c>.</summary>
public static class TestServices
{
    /// <summary>Both services.</summary>
    public static readonly IReadOnlyList<Service> All = ModelReader.ReadServices("""
        - id: cp
          name: cp
          description: copy
          path: cp
          runtime: other
          parameters:
            - {id: i, name: i, description: i, type: input, cardinality: 1..1}
            - {id: o, name: o, description: o, type: output, cardinality: 1..1}
        - id: gpu
          name: gpu
          description: needs a GPU
          path: gpu
          runtime: other
          required_capabilities: [gpu]
          parameters:
            - {id: i, name: i, description: i, type: input, cardinality: 1..1}
            - {id: o, name: o, description: o, type: output, cardinality: 1..1}
        """, "services");
}
