namespace Pipeline.Modelling;

/// <summary>Marker for locating this assembly (plugin shared types, resources).</summary>
public static class ModellingAssembly;
