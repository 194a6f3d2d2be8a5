namespace Pipeline.Host.Storage;

/// <summary>
/// A folder named on this process's own command line (`finetune --out`, `--base-model`, `--data`): the user who typed
/// it may use it, whatever Storage:* says, because the messages that name it come from this process, not the broker.
/// HoldsCheckpoints: runs and checkpoints go there (an extra checkpoint root); otherwise it is only read.
/// </summary>
public sealed record CommandLineFolder(string Path, bool HoldsCheckpoints);
