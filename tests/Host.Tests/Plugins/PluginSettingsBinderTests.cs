using Pipeline.Contracts.Plugins;
using Pipeline.Node.Plugins;

namespace Pipeline.Host.Tests.Plugins;

/// <summary>The host binds Plugins:Settings:&lt;name&gt; to the plugin's settings type: typed, defaults kept, nothing ignored.</summary>
public sealed class PluginSettingsBinderTests
{
    public sealed class ProbeSettings
    {
        public int Patience { get; set; } = 2;
        public double Delta { get; set; } = 0.05;
        public string Kinds { get; set; } = "best";
        public bool Enabled { get; set; }
        public int? Seed { get; set; }
    }

    private sealed class Probe : IConfigurablePlugin<ProbeSettings>
    {
        public ProbeSettings? Given { get; private set; }

        public string Name => "probe";

        public void Configure(ProbeSettings settings)
        {
            if (settings.Patience < 1) throw new ArgumentException("Patience must be at least 1");
            Given = settings;
        }
    }

    private sealed class Plain : IPipelinePlugin
    {
        public string Name => "plain";
    }

    [Fact]
    public void Given_keys_are_converted_case_insensitively_and_the_others_keep_their_defaults()
    {
        var probe = new Probe();
        PluginSettingsBinder.Configure(probe, new Dictionary<string, string> { ["patience"] = "5", ["ENABLED"] = "true", ["Seed"] = "7" });

        Assert.Equal(5, probe.Given!.Patience);
        Assert.True(probe.Given.Enabled);
        Assert.Equal(7, probe.Given.Seed);
        Assert.Equal(0.05, probe.Given.Delta);
        Assert.Equal("best", probe.Given.Kinds);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_it_and_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => PluginSettingsBinder.Configure(new Probe(), new Dictionary<string, string> { ["Patients"] = "3" }));
        Assert.Contains("Plugins:Settings:probe", error.Message);
        Assert.Contains("'Patients'", error.Message);
        Assert.Contains("Patience", error.Message);
    }

    [Fact]
    public void A_value_that_does_not_convert_names_its_key()
    {
        var error = Assert.Throws<ArgumentException>(() => PluginSettingsBinder.Configure(new Probe(), new Dictionary<string, string> { ["Patience"] = "often" }));
        Assert.Contains("Patience", error.Message);
    }

    [Fact]
    public void A_value_the_plugin_refuses_is_reported_with_the_plugins_section()
    {
        var error = Assert.Throws<ArgumentException>(() => PluginSettingsBinder.Configure(new Probe(), new Dictionary<string, string> { ["Patience"] = "0" }));
        Assert.Equal("Plugins:Settings:probe: Patience must be at least 1", error.Message);
    }

    [Fact]
    public void Settings_for_a_plugin_that_takes_none_are_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => PluginSettingsBinder.Configure(new Plain(), new Dictionary<string, string> { ["Anything"] = "1" }));
        Assert.Contains("takes no settings", error.Message);
        PluginSettingsBinder.Configure(new Plain(), new Dictionary<string, string>()); // none given: fine
    }
}
