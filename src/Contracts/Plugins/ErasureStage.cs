namespace Pipeline.Contracts.Plugins;

/// <summary>The stages a forgetter reports, in order; the host adds Received, Completed and Rejected itself.</summary>
public enum ErasureStage
{
    DataRemoved,
    ModelUnlearned,
    Verified,
}
