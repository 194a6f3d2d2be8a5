using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

/// <summary>Compresses only "best" checkpoints, claiming a 4x smaller file.</summary>
public sealed class RecordingCompressor : ICheckpointCompressor
{
    public string Name => "recording-compressor";

    public Task<CompressionOutcome?> CompressAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint.Kind != "best")
            return Task.FromResult<CompressionOutcome?>(null);
        var compressed = new CheckpointReference(checkpoint.Checkpoint.Path + ".int8", checkpoint.Checkpoint.Sha256);
        return Task.FromResult<CompressionOutcome?>(new CompressionOutcome(compressed, "int8", 100, 400,
            new Dictionary<string, double> { ["source_epoch"] = checkpoint.Epoch }));
    }
}
