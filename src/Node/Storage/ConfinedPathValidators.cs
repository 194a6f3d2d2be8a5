using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Storage;

// Host-side validators, run by ValidationFilter beside the contracts' own: a path may be well formed and still point
// where this node must not read or write. The reasons name the setting, never the path sent (it may be hostile or long).

internal static class ConfinedPathRules
{
    public const string OutsideCheckpointRoot = "'{PropertyName}' must lie inside the checkpoint root (Storage:CheckpointRoot).";
    public const string OutsideReadRoots =
        "'{PropertyName}' must be \"base\", a known corpus or a path inside the checkpoint root, Storage:Roots or this node's cache.";

    public static IRuleBuilderOptions<T, string?> InCheckpointRoot<T>(this IRuleBuilder<T, string?> rule, StorageRoots roots) =>
        rule.Must(roots.InCheckpointRoot).WithMessage(OutsideCheckpointRoot);
}

public sealed class StartFineTunePathsValidator : AbstractValidator<StartFineTune>
{
    public StartFineTunePathsValidator(StorageRoots roots)
    {
        RuleFor(m => m.RunsDirectory).InCheckpointRoot(roots);
        RuleFor(m => m.BaseModel).Must(roots.MayReadBaseModel).WithMessage(ConfinedPathRules.OutsideReadRoots);
        RuleFor(m => m.Dataset).Must(roots.MayReadDataset).WithMessage(ConfinedPathRules.OutsideReadRoots);
        RuleFor(m => m.ValidationDataset).Must(roots.MayReadDataset).WithMessage(ConfinedPathRules.OutsideReadRoots)
            .When(m => m.ValidationDataset is not null);
    }
}

public sealed class EpochCompletedPathsValidator : AbstractValidator<EpochCompleted>
{
    public EpochCompletedPathsValidator(StorageRoots roots)
    {
        RuleFor(m => m.Checkpoint.Path).InCheckpointRoot(roots).When(m => m.Checkpoint is not null);
        RuleFor(m => m.TrainSample).InCheckpointRoot(roots).When(m => m.TrainSample is not null);
        RuleFor(m => m.HeldOutSample).InCheckpointRoot(roots).When(m => m.HeldOutSample is not null);
        RuleFor(m => m.BaseModel).Must(roots.MayReadBaseModel).WithMessage(ConfinedPathRules.OutsideReadRoots);
        RuleFor(m => m.Dataset).Must(roots.MayReadDataset).WithMessage(ConfinedPathRules.OutsideReadRoots);
    }
}

public sealed class CheckpointSavedPathsValidator : AbstractValidator<CheckpointSaved>
{
    public CheckpointSavedPathsValidator(StorageRoots roots)
    {
        RuleFor(m => m.Checkpoint.Path).InCheckpointRoot(roots).When(m => m.Checkpoint is not null);
    }
}

public sealed class CheckpointCompressedPathsValidator : AbstractValidator<CheckpointCompressed>
{
    public CheckpointCompressedPathsValidator(StorageRoots roots)
    {
        // The run folder written is found from Source (RUN/checkpoints/NAME), so Source decides where report.json goes.
        RuleFor(m => m.Source.Path).InCheckpointRoot(roots).When(m => m.Source is not null);
        RuleFor(m => m.Compressed.Path).InCheckpointRoot(roots).When(m => m.Compressed is not null);
    }
}

public sealed class FineTuneCompletedPathsValidator : AbstractValidator<FineTuneCompleted>
{
    public FineTuneCompletedPathsValidator(StorageRoots roots)
    {
        RuleFor(m => m.BestCheckpoint.Path).InCheckpointRoot(roots).When(m => m.BestCheckpoint is not null);
        RuleFor(m => m.ReportPath).InCheckpointRoot(roots);
    }
}
