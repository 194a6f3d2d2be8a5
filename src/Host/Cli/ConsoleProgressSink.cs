using Pipeline.Modelling.Training;
using Spectre.Console;
using Pipeline.Node.FineTuning;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline finetune` / `pretrain` progress on stderr: a Spectre.Console bar per epoch on a terminal, a plain line per
/// tenth of an epoch otherwise (CI logs, pipes). Stdout stays free for the result.
/// </summary>
public sealed class ConsoleProgressSink : ITrainingProgressSink
{
    private readonly IAnsiConsole _console = CreateConsole();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly object _lock = new();

    public void Message(string line)
    {
        lock (_lock)
            _console.MarkupLineInterpolated($"[grey]{line}[/]");
    }

    public IProgress<TrainingProgress> Training(Guid runId, int epoch, int epochs)
    {
        var label = runId == Guid.Empty ? "pretrain" : $"epoch {epoch}/{epochs}";
        if (!_interactive)
            return SynchronousProgress.Of(p =>
            {
                var tenth = Math.Max(1, p.StepsInEpoch / 10);
                if (p.StepInEpoch % tenth == 0 || p.StepInEpoch == p.StepsInEpoch)
                    Message($"{label}: step {p.StepInEpoch}/{p.StepsInEpoch} loss {p.Loss:0.000}");
            });

        return SynchronousProgress.Of(p =>
        {
            lock (_lock)
                _console.Write(new Markup($"\r{Markup.Escape(label)} [green]{Bar(p.StepInEpoch, p.StepsInEpoch)}[/] {p.StepInEpoch}/{p.StepsInEpoch} loss {p.Loss:0.000}   "));
            if (p.StepInEpoch == p.StepsInEpoch)
                lock (_lock)
                    _console.WriteLine();
        });
    }

    public void EpochDone(Guid runId, EpochRecord epoch) =>
        Message($"epoch {epoch.Epoch}: train loss {epoch.TrainLoss:0.000}, val loss {epoch.ValLoss:0.000} (ppl {Math.Exp(epoch.ValLoss):0.0}), {epoch.Seconds:0.0} s");

    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected)
            console.Profile.Width = 240; // a log file has no width: do not wrap lines at Spectre's default of 80
        return console;
    }

    private static string Bar(int done, int total)
    {
        const int width = 30;
        var filled = total == 0 ? width : (int)Math.Round(width * (double)done / total);
        return new string('━', filled) + new string('─', width - filled);
    }
}
