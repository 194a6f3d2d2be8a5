using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Training;

namespace Pipeline.Modelling.Tests.Memorisation;

/// <summary>
/// A tiny GPT-NeoX (d = 64, 2 layers, 27 letters) trained until it reproduces its training records: eight records of
/// 64 random letters each (P + S with the default 32 + 32). Eight more records of the same form are held out. Trained
/// once per test class: training is the slow part.
/// </summary>
public sealed class MemorisedModel : IDisposable
{
    public const int RecordLetters = 64;

    public MemorisedModel()
    {
        var random = new Random(2024);
        Trained = Enumerable.Range(0, 8).Select(i => TextRecord.Plain($"train-{i}", $"subject-{i}", LetterTokenizer.RandomText(random, RecordLetters))).ToList();
        HeldOut = Enumerable.Range(0, 8).Select(i => TextRecord.Plain($"held-{i}", $"subject-h{i}", LetterTokenizer.RandomText(random, RecordLetters))).ToList();

        // Tokenised as fine-tuning does: the record's text, then end-of-text.
        var sequences = Trained.Select(r => Tokenizer.Encode(r.FullText).Append(Tokenizer.EndOfTextId).ToArray()).ToList();
        Model = TinyModels.Create(71, TinyModels.Config(hidden: 64, heads: 4, layers: 2, vocab: Tokenizer.VocabularySize));
        var options = new TrainingOptions { Epochs = Epochs, BatchSize = 4, ContextLength = RecordLetters + 1, LearningRate = 1e-2, Seed = 3, Threads = 2 };
        using var trainer = new LanguageModelTrainer(Model, sequences, options);
        for (var epoch = 1; epoch <= Epochs; epoch++)
            LastLoss = trainer.TrainEpoch(epoch).TrainLoss;
    }

    public const int Epochs = 60;

    public LetterTokenizer Tokenizer { get; } = new();

    public GptNeoXModel Model { get; }

    public IReadOnlyList<TextRecord> Trained { get; }

    public IReadOnlyList<TextRecord> HeldOut { get; }

    public double LastLoss { get; }

    public void Dispose() => Model.Dispose();
}
