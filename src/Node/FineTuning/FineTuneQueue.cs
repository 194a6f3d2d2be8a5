using Pipeline.Node.Hosting;

namespace Pipeline.Node.FineTuning;

/// <summary>Run folders recorded on disk and waiting for this node's worker (one run at a time: training uses every core).</summary>
public sealed class FineTuneQueue : WorkQueue<string>;
