namespace Pipeline.Data.Corpora;

/// <summary>The steps of a corpus pull, in order.</summary>
public enum PullStage
{
    Downloading,
    Verifying,
    Unpacking,
    Parsing,
    Writing,
    Done,
}

/// <summary>One progress report of a pull: the step it entered and a line for people.</summary>
public sealed record PullProgress(string Corpus, PullStage Stage, string Message);
