namespace Pipeline.Modelling.Data;

/// <summary>A data file that cannot be read as records; the message starts with "path:LINE:" where a line is to blame.</summary>
public sealed class DataFormatException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static DataFormatException AtLine(string path, int line, string reason) => new($"{path}:{line}: {reason}");
}
