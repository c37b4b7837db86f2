using Steep.Core.Serialization;
using Steep.Core.Validation;

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

    public static TheoryData<string> CaseWorkflows()
    {
        var data = new TheoryData<string>();
        if (ConformanceFolder.Path is not { } folder)
        {
            data.Add("(skipped)");
            return data;
        }
        foreach (var c in ConformanceRunner.Entries(ConformanceRunner.Manifest(folder), "cases").Where(c => c.Get("error") is null))
            data.Add(Py.Str(c["workflow"]));
        return data;
    }

    /// <summary>Steep runs every generator case without error, so checking against the services must find nothing either.</summary>
    [ConformanceTheory]
    [MemberData(nameof(CaseWorkflows))]
    public void EveryCaseWorkflowIsValidWithTheSharedServices(string workflow)
    {
        var folder = ConformanceFolder.Path!;
        var wfPath = Path.Combine(folder, workflow);
        var servicesPath = Path.Combine(folder, "services.yaml");
        var problems = WorkflowValidator.Validate(ModelReader.ReadWorkflow(File.ReadAllText(wfPath), wfPath),
            ModelReader.ReadServices(File.ReadAllText(servicesPath), servicesPath));
        Assert.Empty(problems);
    }
}
