namespace Pipeline.Node.Storage;

/// <summary>
/// A folder this process names itself rather than a message: the command line's (`finetune --out`, `--base-model`,
/// `--data`: the user who typed it may use it) or the run-forgetter's configured runs folder (the operator's, where it
/// writes the unlearned checkpoints it then announces). It may be used whatever Storage:* says.
/// HoldsCheckpoints: runs and checkpoints go there (an extra checkpoint root); otherwise it is only read.
/// </summary>
public sealed record TrustedFolder(string Path, bool HoldsCheckpoints);
