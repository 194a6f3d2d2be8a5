namespace Pipeline.Modelling.Data;

/// <summary>A data set name that is neither an existing file nor a known corpus.</summary>
public sealed class DatasetNotFoundException(string message) : Exception(message);
