namespace Pipeline.Node.Erasure.Ledger;

/// <summary>Received → DataRemoved → ModelUnlearned → Verified → Completed, or Rejected (with its reason) from any state.</summary>
public enum ErasureState
{
    Received,
    DataRemoved,
    ModelUnlearned,
    Verified,
    Completed,
    Rejected,
}
