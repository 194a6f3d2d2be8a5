using Microsoft.Extensions.Options;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Storage;
using Pipeline.Modelling.Training;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// Writes an epoch's checkpoint folder (weights, optimizer state, trainer.json, tokenizer) only when it will fit, and
/// leaves nothing half-written when the disk fills anyway. FineTune:MinFreeDiskBytes is the free space required before
/// an epoch is trained and again before its checkpoint is written; unset, twice the last checkpoint's size (an estimate
/// from the parameter count before the first) plus 64 MiB; 0 disables the guard. A checkpoint that fails for lack of
/// space is deleted with its temp files: run.json never names it, so the epoch is trained again on resume.
/// </summary>
public sealed class EpochCheckpointWriter(IOptions<FineTuneOptions> options)
{
    public const long Headroom = 64L << 20;

    /// <summary>Throws <see cref="CheckpointStorageFullException"/> when the folder's file system has less free space than required.</summary>
    public void EnsureRoom(string checkpointsFolder, int epoch, long expectedCheckpointBytes)
    {
        var needed = RequiredFreeBytes(expectedCheckpointBytes);
        if (needed <= 0) return;
        var free = StorageFull.FreeBytes(checkpointsFolder);
        if (free < needed)
            throw new CheckpointStorageFullException(
                $"{CheckpointStorageFullException.ReasonPrefix} {checkpointsFolder} has {free} bytes free, {needed} needed for epoch {epoch}'s checkpoint (FineTune:MinFreeDiskBytes)");
    }

    public long RequiredFreeBytes(long expectedCheckpointBytes) =>
        options.Value.MinFreeDiskBytes ?? 2 * expectedCheckpointBytes + Headroom;

    public CheckpointInfo Write(LanguageModelTrainer trainer, string folder, string tokenizerSource, IReadOnlyDictionary<string, string> metadata,
        int epoch, long expectedBytes)
    {
        try
        {
            var saved = trainer.SaveState(folder, metadata);
            TokenizerFiles.CopyBeside(tokenizerSource, folder);
            return saved;
        }
        catch (Exception failure) when (StorageFull.Caused(failure))
        {
            // Not in run.json yet: an incomplete folder would only mislead whoever looks (resume trains the epoch again).
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            throw new CheckpointStorageFullException(
                $"{CheckpointStorageFullException.ReasonPrefix} writing epoch {epoch}'s checkpoint in {Path.GetDirectoryName(folder)} failed " +
                $"({failure.Message.ReplaceLineEndings(" ")}); {StorageFull.FreeBytes(folder)} bytes free, about {expectedBytes} needed", failure);
        }
    }

    /// <summary>The size of a checkpoint folder on disk, or (none yet) float32 weights plus AdamW's two moments per parameter.</summary>
    public static long ExpectedBytes(string? previousFolder, GptNeoXModel model) =>
        previousFolder is not null && Directory.Exists(previousFolder)
            ? new DirectoryInfo(previousFolder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : model.parameters().Sum(p => p.numel()) * 3 * sizeof(float);
}
