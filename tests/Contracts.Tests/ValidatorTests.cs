using FluentValidation;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Validation;

namespace Pipeline.Contracts.Tests;

public class ValidatorTests
{
    private static List<string> Errors<T>(AbstractValidator<T> validator, T message) =>
        validator.Validate(message).Errors.Select(e => e.ErrorMessage).ToList();

    [Fact]
    public void Every_well_formed_message_passes_its_validator()
    {
        Assert.Empty(Errors(new EpochCompletedValidator(), ValidMessages.EpochCompleted()));
        Assert.Empty(Errors(new CheckpointSavedValidator(), ValidMessages.CheckpointSaved()));
        Assert.Empty(Errors(new UnlearnRequestedValidator(), ValidMessages.UnlearnRequested()));
        Assert.Empty(Errors(new EpochScoredValidator(), ValidMessages.EpochScored()));
        Assert.Empty(Errors(new CheckpointCompressedValidator(), ValidMessages.CheckpointCompressed()));
        Assert.Empty(Errors(new UnlearningCompletedValidator(), ValidMessages.UnlearningCompleted()));
        Assert.Empty(Errors(new UnlearningRejectedValidator(), ValidMessages.UnlearningRejected()));
        Assert.Empty(Errors(new StartFineTuneValidator(), ValidMessages.StartFineTune()));
        Assert.Empty(Errors(new StopTrainingValidator(), ValidMessages.StopTraining()));
        Assert.Empty(Errors(new SetRegularisationValidator(), ValidMessages.SetRegularisation()));
    }

    [Fact]
    public void Empty_correlation_ids_are_rejected_for_every_message()
    {
        Assert.Contains(Errors(new EpochCompletedValidator(), ValidMessages.EpochCompleted() with { RunId = Guid.Empty }), e => e.Contains("Run Id"));
        Assert.Contains(Errors(new CheckpointSavedValidator(), ValidMessages.CheckpointSaved() with { RunId = Guid.Empty }), e => e.Contains("Run Id"));
        Assert.Contains(Errors(new UnlearnRequestedValidator(), ValidMessages.UnlearnRequested() with { RequestId = Guid.Empty }), e => e.Contains("Request Id"));
        Assert.Contains(Errors(new EpochScoredValidator(), ValidMessages.EpochScored() with { RunId = Guid.Empty }), e => e.Contains("Run Id"));
        Assert.Contains(Errors(new CheckpointCompressedValidator(), ValidMessages.CheckpointCompressed() with { RunId = Guid.Empty }), e => e.Contains("Run Id"));
        Assert.Contains(Errors(new UnlearningCompletedValidator(), ValidMessages.UnlearningCompleted() with { RequestId = Guid.Empty }), e => e.Contains("Request Id"));
        Assert.Contains(Errors(new UnlearningRejectedValidator(), ValidMessages.UnlearningRejected() with { RequestId = Guid.Empty }), e => e.Contains("Request Id"));
        Assert.Contains(Errors(new StartFineTuneValidator(), ValidMessages.StartFineTune() with { RunId = Guid.Empty }), e => e.Contains("Run Id"));
        Assert.Contains(Errors(new StopTrainingValidator(), ValidMessages.StopTraining() with { RunId = Guid.Empty }), e => e.Contains("Run Id"));
        Assert.Contains(Errors(new SetRegularisationValidator(), ValidMessages.SetRegularisation() with { RunId = Guid.Empty }), e => e.Contains("Run Id"));
    }

    [Fact]
    public void Missing_or_future_timestamps_are_rejected()
    {
        Assert.Contains(Errors(new EpochCompletedValidator(), ValidMessages.EpochCompleted() with { Timestamp = default }), e => e.Contains("Timestamp"));
        Assert.Contains(Errors(new StopTrainingValidator(), ValidMessages.StopTraining() with { Timestamp = DateTimeOffset.UtcNow.AddDays(1) }), e => e.Contains("Timestamp"));
    }

    [Fact]
    public void A_checkpoint_reference_needs_a_sha256_of_64_hex_digits()
    {
        var bad = ValidMessages.EpochCompleted() with { Checkpoint = ValidMessages.Checkpoint with { Sha256 = "abc" } };
        Assert.Contains(Errors(new EpochCompletedValidator(), bad), e => e.Contains("Sha256"));
    }

    [Fact]
    public void Paths_with_control_characters_or_beyond_path_max_are_rejected_without_echoing_them()
    {
        var nul = ValidMessages.EpochCompleted() with { Checkpoint = ValidMessages.Checkpoint with { Path = "/data/run\0/../../etc/passwd" } };
        var huge = ValidMessages.StartFineTune() with { RunsDirectory = new string('a', MessageRules.MaxPathLength + 1) };
        var forged = ValidMessages.EpochCompleted() with { TrainSample = "sample.jsonl\nINFO forged log line" };

        Assert.Contains(Errors(new EpochCompletedValidator(), nul), e => e.Contains("control characters"));
        Assert.Contains(Errors(new StartFineTuneValidator(), huge), e => e.Contains($"at most {MessageRules.MaxPathLength}"));
        Assert.Contains(Errors(new EpochCompletedValidator(), forged), e => e.Contains("Train Sample"));
        Assert.All(Errors(new StartFineTuneValidator(), huge), e => Assert.DoesNotContain("aaaa", e));
    }

    [Fact]
    public void Record_ids_longer_than_an_id_are_rejected()
    {
        var request = ValidMessages.UnlearnRequested() with { RecordIds = ["r1", new string('x', UnlearnRequestedValidator.MaxRecordIdLength + 1)] };
        Assert.Contains(Errors(new UnlearnRequestedValidator(), request), e => e.Contains("Record Ids"));
    }

    [Fact]
    public void Non_finite_losses_are_rejected()
    {
        Assert.Contains(Errors(new EpochCompletedValidator(), ValidMessages.EpochCompleted() with { TrainLoss = double.NaN }), e => e.Contains("Train Loss"));
        Assert.Contains(Errors(new EpochScoredValidator(), ValidMessages.EpochScored() with
        {
            Metrics = new Dictionary<string, double> { ["ngram_score"] = double.PositiveInfinity },
        }), e => e.Contains("finite"));
    }

    [Fact]
    public void Metric_labels_are_optional_but_must_name_a_metric_and_stay_short()
    {
        var scored = ValidMessages.EpochScored();
        Assert.Empty(Errors(new EpochScoredValidator(), scored with { Labels = null }));
        Assert.Empty(Errors(new EpochScoredValidator(), scored with { Labels = new Dictionary<string, string> { ["ngram_score"] = "refund, order" } }));
        Assert.Contains(Errors(new EpochScoredValidator(), scored with { Labels = new Dictionary<string, string> { ["no_such_metric"] = "refund" } }), e => e.Contains("label"));
        Assert.Contains(Errors(new EpochScoredValidator(), scored with { Labels = new Dictionary<string, string> { [" "] = "refund" } }), e => e.Contains("label"));
        Assert.Contains(Errors(new EpochScoredValidator(), scored with
        {
            Labels = new Dictionary<string, string> { ["ngram_score"] = new string('x', EpochScored.MaxLabelLength + 1) },
        }), e => e.Contains("label"));
    }

    [Fact]
    public void Unknown_checkpoint_kinds_and_regularisers_are_rejected()
    {
        Assert.Contains(Errors(new CheckpointSavedValidator(), ValidMessages.CheckpointSaved() with { Kind = "weird" }), e => e.Contains("Kind"));
        Assert.Contains(Errors(new StartFineTuneValidator(), ValidMessages.StartFineTune() with { Regulariser = "l2" }), e => e.Contains("Regulariser"));
    }

    [Theory]
    [InlineData("DSR-2026-0042", true)]
    [InlineData("case:12/34#5", true)]
    [InlineData("John Doe asked on the phone", false)]
    [InlineData("", false)]
    public void A_requester_reference_must_be_an_opaque_identifier(string reference, bool valid)
    {
        var errors = Errors(new UnlearnRequestedValidator(), ValidMessages.UnlearnRequested() with { Reference = reference });
        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void Unlearn_request_errors_never_echo_the_subject_id()
    {
        var tooLong = new string('x', UnlearnRequestedValidator.MaxSubjectIdLength + 1);
        var errors = Errors(new UnlearnRequestedValidator(), ValidMessages.UnlearnRequested() with { SubjectId = tooLong });
        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, e => e.Contains(tooLong));
        Assert.NotEmpty(Errors(new UnlearnRequestedValidator(), ValidMessages.UnlearnRequested() with { SubjectId = "" }));
        Assert.NotEmpty(Errors(new UnlearnRequestedValidator(), ValidMessages.UnlearnRequested() with { RecordIds = ["r1", ""] }));
    }

    [Fact]
    public void Negative_lambda_and_zero_epochs_are_rejected()
    {
        Assert.Contains(Errors(new SetRegularisationValidator(), ValidMessages.SetRegularisation() with { Lambda = -0.1 }), e => e.Contains("Lambda"));
        Assert.Contains(Errors(new StartFineTuneValidator(), ValidMessages.StartFineTune() with { Epochs = 0 }), e => e.Contains("Epochs"));
    }

    [Fact]
    public void A_failed_run_says_why_in_one_line_and_a_resumable_one_is_valid_too()
    {
        var failed = new FineTuneFailed(Guid.NewGuid(), 2, "checkpoint storage full: /runs/x/checkpoints has 1 bytes free, 2 needed", DateTimeOffset.UtcNow)
        {
            Resumable = true,
        };
        Assert.Empty(Errors(new FineTuneFailedValidator(), failed));
        Assert.Empty(Errors(new FineTuneFailedValidator(), failed with { LastCompletedEpoch = null }));
        Assert.Contains(Errors(new FineTuneFailedValidator(), failed with { Reason = "line one\nline two" }), e => e.Contains("one line"));
        Assert.Contains(Errors(new FineTuneFailedValidator(), failed with { LastCompletedEpoch = 0 }), e => e.Contains("Last Completed Epoch"));
    }
}
