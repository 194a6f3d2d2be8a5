using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Plugins;

/// <summary>
/// Role: produce a smaller checkpoint. Return null when this checkpoint is not one the compressor's policy compresses
/// (for example, only the best checkpoint once training stops).
/// </summary>
public interface ICheckpointCompressor : IPipelinePlugin
{
    Task<CompressionOutcome?> CompressAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken);
}
