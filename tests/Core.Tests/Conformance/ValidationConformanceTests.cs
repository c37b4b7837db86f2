namespace Steep.Core.Tests.Conformance;

/// <summary>The manifest's validation entries: each expected error group appears together in one problem.</summary>
public sealed class ValidationConformanceTests
{
    public static TheoryData<string> Entries()
    {
        var data = new TheoryData<string>();
        if (ConformanceFolder.Path is not { } folder)
        {
            data.Add("(skipped)");
            return data;
        }
        foreach (var v in ConformanceRunner.Entries(ConformanceRunner.Manifest(folder), "validation")) data.Add(Py.Str(v["name"]));
        return data;
    }

    [ConformanceTheory]
    [MemberData(nameof(Entries))]
    public void Validate(string name)
    {
        var folder = ConformanceFolder.Path!;
        ConformanceRunner.RunValidation(folder, ConformanceRunner.Entry(folder, "validation", name));
    }
}
