namespace Pipeline.Data;

/// <summary>A type to name this assembly by (the plugin loader shares it with plugins, as it shares the modelling library).</summary>
public static class DataAssembly;
