using System.Text;
using System.Text.Json.Nodes;
using Steep.Core.Serialization;

namespace Steep.Core.Tests.Serialization;

/// <summary>
/// YAML read into JSON trees: plain documents take the direct way (events written as JSON), documents with aliases the
/// thorough one (a tree converted node by node); both must give the same values, and a large plain list must stay cheap.
/// </summary>
public sealed class YamlToJsonTests
{
    private const string Scalars = """
        api: 4.0.0
        ints: [0, 42, -7, 123456789012345678, 1234567890123456789012, -0, 007, +5]
        floats: [3.0, .5, 5., 1e3, -2.5E-3, 1e999]
        strings: ["60", '7', "true", plain text, "", "a\tb \" \\ é ✓"]
        tagged: [!!str 42, !!str true]
        bools: [true, True, FALSE, yes, no]
        nulls: [~, null, Null, NULL, ""]
        nested: {a: {b: [[1, 2], {c: d}]}, "quoted key": 1, ~: tilde}
        empty: {}
        none: []
        """;

    [Fact]
    public void PlainDocumentsReadAsDocumentsWithAliasesDo()
    {
        // the alias sends the second text the thorough way; the values must not tell the two apart
        var plain = YamlToJson.Parse(Scalars + "\nlast: [x, x]\n", "w")!.ToJsonString();
        var aliased = YamlToJson.Parse(Scalars + "\nlast: [&a x, *a]\n", "w")!.ToJsonString();

        Assert.Equal(aliased, plain);
        var tree = JsonNode.Parse(plain)!;
        Assert.Equal("[0,42,-7,123456789012345678,1234567890123456789012,-0,7,5]", tree["ints"]!.ToJsonString());
        Assert.Equal("[3.0,0.5,5,1e3,-2.5E-3,1e999]", tree["floats"]!.ToJsonString());
        Assert.Equal("60", tree["strings"]![0]!.GetValue<string>());
        Assert.Equal("42", tree["tagged"]![0]!.GetValue<string>());
        Assert.Equal("[true,true,false,\"yes\",\"no\"]", tree["bools"]!.ToJsonString());
        Assert.Equal("[null,null,null,null,\"\"]", tree["nulls"]!.ToJsonString());
        Assert.Equal("tilde", tree["nested"]!["~"]!.GetValue<string>());
    }

    [Fact]
    public void OnlyTheFirstDocumentCountsAndAnEmptyStreamIsNothing()
    {
        Assert.Equal("{\"a\":1}", YamlToJson.Parse("a: 1\n---\nb: 2\n", "w")!.ToJsonString());
        Assert.Null(YamlToJson.Parse("# only a comment\n", "w"));
        Assert.Null(YamlToJson.Parse("---\n...\n", "w"));
        Assert.Equal("\"just text\"", YamlToJson.Parse("just text", "w")!.ToJsonString());
        // an alias to nothing is an error wherever it is, as it was when every document was loaded
        var e = Assert.Throws<ModelFormatException>(() => YamlToJson.Parse("a: 1\n---\nb: *nowhere\n", "w"));
        Assert.Contains("nowhere", e.Message);
    }

    [Fact]
    public void DuplicateAndNonStringKeysAreStillReportedWithTheirPosition()
    {
        var duplicate = Assert.Throws<ModelFormatException>(() => YamlToJson.Parse("a: 1\nb:\n  c: 1\n  c: 2\n", "w"));
        Assert.Contains("line 4, column 3", duplicate.Message);
        Assert.Contains("uplicate key", duplicate.Message);

        var listKey = Assert.Throws<ModelFormatException>(() => YamlToJson.Parse("? [a, b]\n: 1\n", "w"));
        Assert.Contains("mapping keys must be plain strings", listKey.Message);
    }

    [Fact]
    public void AMillionItemListCostsLittleToRead()
    {
        // a server reading a huge for-each list must not allocate a gigabyte (the collections that costs stall every
        // request): at most 600 bytes per value, text and tree included (converting YamlDotNet's tree cost about 1 KB)
        const int items = 200_000;
        var yaml = new StringBuilder("vars:\n  - id: items\n    value: [");
        for (int i = 0; i < items; i++) yaml.Append(i == 0 ? "" : ", ").Append(i % 100);
        var text = yaml.Append("]\n").ToString();
        YamlToJson.Parse("warm: [1, 2]", "w");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var tree = YamlToJson.Parse(text, "w");
        long perItem = (GC.GetAllocatedBytesForCurrentThread() - before) / items;

        Assert.Equal(items, tree!["vars"]![0]!["value"]!.AsArray().Count);
        Assert.True(perItem < 600, $"reading took {perItem} bytes per item");
    }
}
