namespace Pipeline.Modelling.Compression;

/// <summary>
/// The damage estimate that ranks weights for pruning (the lowest go first). Magnitude: |w|. Random: a seeded uniform
/// draw (the control). OBD (Optimal Brain Damage): ½·h_kk·w², with the Hessian's diagonal h_kk approximated by the
/// empirical Fisher, the mean squared gradient over the calibration batches. Taylor: the first-order estimate of the
/// loss change, the mean over calibration batches of |w·g|.
/// </summary>
public enum PruningCriterion
{
    Magnitude,
    Random,
    Obd,
    Taylor,
}

/// <summary>Global: one threshold over all prunable weights together. PerLayer: each weight matrix pruned to the sparsity on its own.</summary>
public enum PruningScope
{
    Global,
    PerLayer,
}
