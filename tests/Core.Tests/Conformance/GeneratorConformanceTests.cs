namespace Steep.Core.Tests.Conformance;

/// <summary>Every generator case of the shared Steep 5 folder, with one generator and with a reload before each step.</summary>
public sealed class GeneratorConformanceTests
{
    public static TheoryData<string, GeneratorMode> Cases()
    {
        var data = new TheoryData<string, GeneratorMode>();
        if (ConformanceFolder.Path is not { } folder)
        {
            // the theory is skipped (see ConformanceTheoryAttribute); one row keeps it discoverable everywhere
            data.Add("(skipped)", GeneratorMode.OneGenerator);
            return data;
        }
        foreach (var c in ConformanceRunner.Entries(ConformanceRunner.Manifest(folder), "cases"))
        {
            foreach (var mode in Enum.GetValues<GeneratorMode>()) data.Add(Py.Str(c["name"]), mode);
        }
        return data;
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public void Case(string name, GeneratorMode mode)
    {
        var folder = ConformanceFolder.Path!;
        ConformanceRunner.RunCase(folder, ConformanceRunner.Entry(folder, "cases", name), mode);
    }
}
