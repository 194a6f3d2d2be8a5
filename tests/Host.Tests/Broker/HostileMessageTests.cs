using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Health;

namespace Pipeline.Host.Tests.Broker;

/// <summary>
/// 500 malformed or hostile messages at a server host on the real broker: every one is refused with a reason (faulted
/// to its endpoint's _error queue, or, for an unsigned erasure, refused and audited), no consumer or plugin acts on any,
/// nothing outside the configured folders changes, and the host is healthy and working afterwards.
/// </summary>
public sealed class HostileMessageTests : BrokerTest
{
    private const int Messages = 500;

    [Fact]
    public async Task Five_hundred_hostile_messages_are_all_refused_with_reasons_touch_nothing_outside_the_folders_and_leave_the_host_healthy()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        var sandbox = Path.GetDirectoryName(PluginDirectory)!;
        var root = Directory.CreateDirectory(Path.Combine(sandbox, "runs")).FullName;
        var outside = PlantOutside(sandbox);
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), outside.Folder);
        var before = Snapshot(outside.Folder);
        Assert.Contains("run.json", before); // the snapshot sees the files an attack would touch
        await using var host = await StartHostAsync(new() { ["Storage:CheckpointRoot"] = root });
        await using var raw = await RawPublisher.ConnectAsync(VirtualHost);

        var queues = new[] { "epoch-completed", "checkpoint-saved", "checkpoint-compressed", "start-fine-tune", "unlearn-requested" };
        foreach (var queue in queues) // a shared virtual host (no broker control) may hold faults of earlier runs
            await ErrorQueue.DrainAsync(VirtualHost, queue + "_error");
        var hostile = HostileMessages(root, outside).ToList();
        var runIds = new HashSet<Guid>();
        var runsStarted = new HashSet<Guid>();
        for (var i = 0; i < Messages; i++)
        {
            var message = hostile[i % hostile.Count];
            var id = await message.Send(host, raw);
            runIds.Add(id);
            if (message.StartsARun)
                runsStarted.Add(id);
        }

        // Every message is accounted for: faulted with a reason, or (unsigned erasures) refused and audited.
        var faulted = new List<ErrorQueue.FaultedMessage>();
        var ledger = host.Services.GetRequiredService<IErasureLedger>();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        bool accounted;
        do
        {
            foreach (var queue in queues)
                faulted.AddRange(await ErrorQueue.DrainAsync(VirtualHost, queue + "_error"));
            accounted = faulted.Count + ledger.Refused().Count(r => runIds.Contains(r.RequestId)) >= Messages;
        } while (!accounted && DateTime.UtcNow < deadline && await Pause());
        var refused = ledger.Refused().Where(r => runIds.Contains(r.RequestId)).ToList();
        Assert.True(accounted, $"only {faulted.Count} faulted and {refused.Count} refused of {Messages}");
        Assert.True(Messages == faulted.Count + refused.Count, $"{faulted.Count} faulted and {refused.Count} refused of {Messages}: " +
            string.Join("; ", faulted.GroupBy(f => f.Headers.GetValueOrDefault("MT-Fault-InputAddress") + " " + f.Headers["MT-Fault-Message"][..Math.Min(60, f.Headers["MT-Fault-Message"].Length)])
                .Select(g => $"{g.Count()}× {g.Key}")));
        Assert.All(faulted, f => Assert.False(string.IsNullOrWhiteSpace(f.Headers.GetValueOrDefault("MT-Fault-Message")), "a fault without a reason"));
        Assert.All(refused, r => Assert.StartsWith("unsigned", r.Reason));
        Assert.All(refused, r => Assert.Contains(host.Observed<UnlearningRejected>(), u => u.RequestId == r.RequestId && u.Reason.StartsWith("not authenticated")));
        var reasons = faulted.Select(f => f.Headers["MT-Fault-Message"]).ToList();
        foreach (var expected in hostile.Where(h => h.Reason != Unsigned))
            Assert.Contains(reasons, r => r.Contains(expected.Reason, StringComparison.Ordinal));
        Assert.All(reasons, r => Assert.DoesNotContain("/etc/passwd", r)); // reasons name the rule, never echo the path

        // Nothing acted on them: no consumer published a follow-up, nothing outside the roots changed.
        Assert.DoesNotContain(host.Observed<EpochScored>(), s => runIds.Contains(s.RunId));
        // (The hostile CheckpointCompressed itself reaches the observer; what must not happen is its run folder being rewritten.)
        Assert.DoesNotContain(host.Observed<CheckpointCompressed>(), c => runIds.Contains(c.RunId) && c.RunId != outside.PlantedRunId);
        // A refused StartFineTune is answered, so a follower stops waiting; no run started, so no other end.
        Assert.All(host.Observed<FineTuneFailed>().Where(f => runIds.Contains(f.RunId)), f => Assert.StartsWith("refused by test-node: ", f.Reason));
        var answered = await Eventually.TrueAsync(() => runsStarted.All(id => host.Observed<FineTuneFailed>().Any(f => f.RunId == id)), TimeSpan.FromMinutes(1));
        Assert.True(answered, "a refused StartFineTune was not answered with FineTuneFailed");
        Assert.DoesNotContain(host.Observed<FineTuneCompleted>(), f => runIds.Contains(f.RunId));
        Assert.DoesNotContain(host.Observed<UnlearningCompleted>(), c => runIds.Contains(c.RequestId));
        // Invalid erasure requests are answered too, by the subject's hash only.
        var invalidErasures = faulted.Count(f => f.Headers["MT-Fault-Message"].StartsWith("invalid UnlearnRequested"));
        Assert.True(invalidErasures > 0);
        int InvalidAnswered() => host.Observed<UnlearningRejected>().Count(r => r.Reason.StartsWith("invalid: refused by test-node: ") && runIds.Contains(r.RequestId));
        await Eventually.TrueAsync(() => InvalidAnswered() >= invalidErasures, TimeSpan.FromMinutes(1));
        Assert.Equal(invalidErasures, InvalidAnswered());
        Assert.All(host.Observed<UnlearningRejected>(), r => Assert.DoesNotContain("xxxx", r.SubjectHash + r.Reason));
        Assert.Equal(before, Snapshot(outside.Folder));
        Assert.All(runIds, id => Assert.False(Directory.Exists(Path.Combine("/etc", id.ToString())), "a run folder was made in /etc"));

        // Healthy, and still doing its work.
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(HealthRegistration.Tag));
        foreach (var check in new[] { "broker", "ledger", "plugins" })
            Assert.True(health.Entries[check].Status == HealthStatus.Healthy, $"{check}: {health.Entries[check].Description}");
        var runId = Guid.NewGuid();
        var inside = new CheckpointReference(Path.Combine(root, "run", "checkpoints", "epoch-001"), new string('c', 64));
        await host.Bus.Publish(Support.Messages.Epoch(runId, 1) with { Checkpoint = inside });
        await host.Bus.Publish(new CheckpointSaved(runId, 1, inside, "best", DateTimeOffset.UtcNow));
        await host.WaitForAsync<EpochScored>(s => s.RunId == runId);
        await host.WaitForAsync<CheckpointCompressed>(c => c.RunId == runId);
    }

    private const string Unsigned = "(unsigned)";

    private static async Task<bool> Pause()
    {
        await Task.Delay(250);
        return true;
    }

    private sealed record Outside(string Folder, string Checkpoint, Guid PlantedRunId);

    /// <summary>What a successful attack would touch: a checkpoint, and a run folder whose report a consumer would rewrite.</summary>
    private static Outside PlantOutside(string sandbox)
    {
        var folder = Directory.CreateDirectory(Path.Combine(sandbox, "outside")).FullName;
        var checkpoint = Directory.CreateDirectory(Path.Combine(folder, "run", "checkpoints", "epoch-001")).FullName;
        File.WriteAllText(Path.Combine(checkpoint, "config.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "run", "run.json"), "{}");
        return new Outside(folder, checkpoint, Guid.NewGuid());
    }

    private sealed record Hostile(string Reason, Func<TestHost, RawPublisher, Task<Guid>> Send)
    {
        /// <summary>A StartFineTune: refused, it is answered with a FineTuneFailed.</summary>
        public bool StartsARun { get; init; }
    }

    /// <summary>The kinds of bad message, each with a piece of the reason it must be refused with.</summary>
    private static IEnumerable<Hostile> HostileMessages(string root, Outside outside)
    {
        const string outsideRoot = "must lie inside the checkpoint root";
        const string unreadable = "must be \"base\", a known corpus or a path inside";
        var traversal = Path.Combine(root, "..", "outside", "run", "checkpoints", "epoch-001");
        var viaLink = Path.Combine(root, "escape", "run", "checkpoints", "epoch-001");
        CheckpointReference At(string path) => new(path, new string('a', 64));

        Hostile Epoch(string reason, Func<EpochCompleted, EpochCompleted> change) => new(reason, async (host, _) =>
        {
            var message = change(Support.Messages.Epoch(Guid.NewGuid(), 1));
            await host.Bus.Publish(message);
            return message.RunId;
        });
        Hostile Saved(string reason, string path, int epoch = 1) => new(reason, async (host, _) =>
        {
            var message = new CheckpointSaved(Guid.NewGuid(), epoch, At(path), "best", DateTimeOffset.UtcNow);
            await host.Bus.Publish(message);
            return message.RunId;
        });
        Hostile Start(string reason, Func<StartFineTune, StartFineTune> change) => new(reason, async (host, _) =>
        {
            var message = change(new StartFineTune(Guid.NewGuid(), "base", "fortunes", 1, 1e-3, 1, "none", 0, DateTimeOffset.UtcNow)
                { RunsDirectory = Path.Combine(root, "ok") });
            await host.Bus.Publish(message);
            return message.RunId;
        }) { StartsARun = true };
        Hostile Raw(string reason, Func<Guid, byte[]> body) => new(reason, async (_, raw) =>
        {
            var id = Guid.NewGuid();
            await raw.PublishAsync(typeof(EpochCompleted), body(id));
            return id;
        });

        yield return Epoch(outsideRoot, m => m with { Checkpoint = At("../../etc/passwd") });
        yield return Epoch(outsideRoot, m => m with { Checkpoint = At("/etc/passwd") });
        yield return Epoch(outsideRoot, m => m with { Checkpoint = At(traversal) });
        yield return Epoch(outsideRoot, m => m with { Checkpoint = At(viaLink) });
        yield return Epoch(outsideRoot, m => m with { TrainSample = "/etc/shadow", HeldOutSample = Path.Combine(root, "h.jsonl") });
        yield return Epoch(unreadable, m => m with { BaseModel = "/etc" });
        yield return Epoch(unreadable, m => m with { Dataset = "../../../../etc/passwd" });
        yield return Epoch("'Epoch' must be greater than or equal to '1'", m => m with { Epoch = -3 });
        yield return Epoch("control characters", m => m with { Checkpoint = At(root + "/run\0/../../../etc/passwd") });
        yield return Epoch($"at most {Contracts.Validation.MessageRules.MaxPathLength}", m => m with { Checkpoint = At(root + "/" + new string('a', 100_000)) });
        yield return Saved(outsideRoot, "../../etc/passwd");
        yield return Saved(outsideRoot, traversal);
        yield return Saved("'Epoch' must be greater than or equal to '0'", Path.Combine(root, "run", "checkpoints", "epoch-001"), epoch: -1);
        yield return new Hostile(outsideRoot, async (host, _) =>
        {
            // A consumer would rewrite the run folder two levels above Source: the planted one outside.
            var message = new CheckpointCompressed(outside.PlantedRunId, At(outside.Checkpoint), At(Path.Combine(root, "c")), "int8", "x", 1, 4,
                new Dictionary<string, double>(), DateTimeOffset.UtcNow);
            await host.Bus.Publish(message);
            return message.RunId;
        });
        yield return Start(outsideRoot, m => m with { RunsDirectory = Path.Combine(root, "..", "outside") });
        yield return Start(outsideRoot, m => m with { RunsDirectory = "/etc" });
        yield return Start(unreadable, m => m with { Dataset = "/etc/passwd" });
        yield return Start(unreadable, m => m with { BaseModel = "/root" });
        yield return Start("'Epochs' must be between 1 and 10000", m => m with { Epochs = -5 });
        yield return new Hostile("'Subject Id' must be at most", async (host, _) =>
        {
            var message = TestPublisher.Sign(Support.Messages.Unlearn(new string('x', 1_000_000)));
            await host.Bus.Publish(message);
            return message.RequestId;
        });
        yield return new Hostile(Unsigned, async (host, _) =>
        {
            var message = Support.Messages.Unlearn("../../etc/passwd") with { Signature = null, Nonce = null, Publisher = null };
            await host.Bus.Publish(message);
            return message.RequestId;
        });
        // Wrong types, bodies that are not UTF-8 and bodies that are not JSON: MassTransit cannot read them at all.
        yield return Raw("", id => RawPublisher.Envelope(typeof(EpochCompleted),
            $$"""{"runId":"{{id}}","epoch":"three","checkpoint":42,"trainLoss":"low","valLoss":[],"baseModel":{},"dataset":7,"timestamp":"yesterday"}"""));
        yield return Raw("", id => [.. RawPublisher.Envelope(typeof(EpochCompleted), $$"""{"runId":"{{id}}","baseModel":"X"}""")
            .SelectMany(b => b == (byte)'X' ? new byte[] { 0xC3, 0x28, 0xFF } : [b])]);
        yield return Raw("", _ => Encoding.UTF8.GetBytes("<epoch>not json</epoch>"));
    }

    /// <summary>Every file under the folder with its length, time and SHA-256: a write anywhere shows.</summary>
    private static string Snapshot(string folder) => string.Join("\n", Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(path => File.Exists(path)
            ? $"{path} {new FileInfo(path).Length} {File.GetLastWriteTimeUtc(path):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}"
            : $"{path}/ {Directory.GetLastWriteTimeUtc(path):O}"));
}
