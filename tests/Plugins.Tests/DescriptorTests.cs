namespace Steep.Plugins.Tests;

/// <summary>Plugin descriptors in Steep's format: what is read, and mistakes named with file, entry and key.</summary>
public sealed class DescriptorTests
{
    private static PluginException Fails(PluginDir dir, string yaml)
    {
        dir.Write("plugins.yaml", yaml);
        return Assert.Throws<PluginException>(() => PluginDescriptorReader.Read([dir["plugins.yaml"]], dir.Path));
    }

    [Fact]
    public void Descriptors_are_read_with_steeps_keys()
    {
        using var dir = new PluginDir();
        dir.Write("conf/plugins/a.cs", "");
        dir.Write("conf/plugins/b.csx", "");
        dir.Write("plugins.yaml", """
            - name: myRuntime
              type: runtime
              version: 1.2.0
              scriptFile: conf/plugins/a.cs
              supportedRuntime: slurm
            - name: estimator
              type: progressEstimator
              scriptFile: b.csx
              supportedServiceId: old-style
              supportedServiceIds: [x, y]
            """);
        dir.Write("b.csx", "");
        var all = PluginDescriptorReader.Read([dir["plugins.yaml"]], dir.Path);
        Assert.Equal(2, all.Count);
        Assert.Equal(("myRuntime", "runtime", "1.2.0", "slurm"), (all[0].Name, all[0].Type, all[0].Version, all[0].SupportedRuntime));
        Assert.Equal(dir["conf/plugins/a.cs"], all[0].ResolvedPath);
        Assert.Null(all[0].DependsOn);
        Assert.Equal(["x", "y", "old-style"], all[1].SupportedServiceIds!);
        Assert.Equal(dir["b.csx"], all[1].ResolvedPath);
    }

    [Fact]
    public void Unknown_type_names_the_entry_and_the_valid_types()
    {
        using var dir = new PluginDir();
        dir.Write("p.cs", "");
        var e = Fails(dir, "- {name: p, type: setupAdapter, scriptFile: p.cs}");
        Assert.Contains("plugins.yaml: plugins[0] ('p').type: unknown plugin type 'setupAdapter'", e.Message);
        Assert.Contains("processChainConsistencyChecker", e.Message);
    }

    [Fact]
    public void A_missing_type_key_is_named()
    {
        using var dir = new PluginDir();
        dir.Write("p.cs", "");
        Assert.Contains("('p').supportedDataType: missing", Fails(dir, "- {name: p, type: outputAdapter, scriptFile: p.cs}").Message);
        Assert.Contains("('p').supportedRuntime: missing", Fails(dir, "- {name: p, type: runtime, scriptFile: p.cs}").Message);
        Assert.Contains("('p').supportedServiceIds: missing", Fails(dir, "- {name: p, type: progressEstimator, scriptFile: p.cs}").Message);
        Assert.Contains("plugins[0].name: missing", Fails(dir, "- {type: runtime, scriptFile: p.cs}").Message);
    }

    [Fact]
    public void A_missing_script_file_and_a_wrong_extension_are_named()
    {
        using var dir = new PluginDir();
        Assert.Contains("scriptFile: 'nope.cs' not found", Fails(dir, "- {name: p, type: initializer, scriptFile: nope.cs}").Message);
        dir.Write("p.kts", "");
        Assert.Contains("must be a C# file (.cs, .csx) or an assembly (.dll)", Fails(dir, "- {name: p, type: initializer, scriptFile: p.kts}").Message);
    }

    [Fact]
    public void Duplicate_names_unknown_dependencies_and_cycles_are_rejected()
    {
        using var dir = new PluginDir();
        dir.Write("p.cs", "");
        Assert.Contains("'a' is the name of another plugin too", Fails(dir, """
            - {name: a, type: initializer, scriptFile: p.cs}
            - {name: a, type: initializer, scriptFile: p.cs}
            """).Message);
        Assert.Contains("dependsOn: no plugin is called 'c'", Fails(dir, """
            - {name: a, type: initializer, scriptFile: p.cs, dependsOn: [c]}
            """).Message);
        Assert.Contains("cycle: a -> b -> a", Fails(dir, """
            - {name: a, type: processChainAdapter, scriptFile: p.cs, dependsOn: [b]}
            - {name: b, type: processChainAdapter, scriptFile: p.cs, dependsOn: a}
            """).Message);
        Assert.Contains("'b' is a initializer, not a processChainAdapter", Fails(dir, """
            - {name: a, type: processChainAdapter, scriptFile: p.cs, dependsOn: [b]}
            - {name: b, type: initializer, scriptFile: p.cs}
            """).Message);
    }

    [Fact]
    public void Order_puts_dependencies_first_and_keeps_the_file_order_otherwise()
    {
        using var dir = new PluginDir();
        dir.Write("p.cs", "");
        dir.Write("plugins.yaml", """
            - {name: c, type: initializer, scriptFile: p.cs, dependsOn: [b]}
            - {name: a, type: initializer, scriptFile: p.cs}
            - {name: b, type: initializer, scriptFile: p.cs, dependsOn: [d]}
            - {name: d, type: initializer, scriptFile: p.cs}
            """);
        var order = PluginDescriptorReader.Order(PluginDescriptorReader.Read([dir["plugins.yaml"]], dir.Path));
        Assert.Equal(["d", "b", "c", "a"], order.Select(d => d.Name));
    }

    [Fact]
    public void A_missing_configured_location_is_an_error_and_a_missing_conf_folder_is_none()
    {
        using var dir = new PluginDir();
        Assert.Empty(PluginLoader.DescriptorFiles(dir.Path, null));
        var e = Assert.Throws<PluginException>(() => PluginLoader.DescriptorFiles(dir.Path, "elsewhere.yaml"));
        Assert.Contains("elsewhere.yaml: plugin descriptor file or folder not found", e.Message);
        dir.Write("conf/plugins/b.yaml", "[]");
        dir.Write("conf/plugins/a.yml", "[]");
        Assert.Equal([dir["conf/plugins/a.yml"], dir["conf/plugins/b.yaml"]], PluginLoader.DescriptorFiles(dir.Path, null));
    }
}
