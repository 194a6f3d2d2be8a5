using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>How a keep policy learned one group: the choice it settled on and what that took.</summary>
public sealed record KeepPolicyResult(bool[] Keep, int Episodes, int Evaluations, double MeanReward);

/// <summary>
/// REINFORCE on one group (Huang et al.'s training): each episode samples keep/drop for every filter from the policy's
/// probabilities, several times; each sample's reward comes from the network's accuracy with those filters off; the
/// gradient of −Σ (R − R̄)·log π(a) moves the policy, R̄ being the episode's mean reward (the baseline). Training stops
/// after the most episodes, or once the policy has settled: on average each filter kept or dropped with near certainty,
/// and the episode's mean reward no better than the best before it.
/// The choice is the greedy one (keep where p > 0.5), or the best-rewarded choice tried if that scored higher.
/// </summary>
public static class KeepPolicyTraining
{
    public static KeepPolicyResult Train(KeepPolicy policy, TorchSharp.Modules.Parameter filterBias, Tensor features, Func<bool[], double> reward,
        FilterPruningOptions options, Random random)
    {
        var parameters = policy.parameters().Append(filterBias).ToList();
        using var optimizer = optim.Adam(parameters, options.AgentLearningRate);
        var width = (int)features.shape[0];
        var episodes = 0;
        var evaluations = 0;
        double rewardSum = 0;
        bool[]? bestTried = null;
        var bestReward = double.NegativeInfinity;
        var bestEpisodeReward = double.NegativeInfinity;
        for (var episode = 0; episode < options.Episodes; episode++)
        {
            episodes++;
            using var scope = NewDisposeScope();
            var probabilities = nn.functional.sigmoid(policy.forward(features, filterBias));
            var p = probabilities.detach().data<float>().ToArray();
            var samples = new List<bool[]>();
            var rewards = new double[options.Samples];
            for (var s = 0; s < options.Samples; s++)
            {
                var keep = p.Select(q => random.NextDouble() < q).ToArray();
                if (!keep.Any(k => k))
                    keep[Array.IndexOf(p, p.Max())] = true; // a group keeps at least its likeliest filter
                samples.Add(keep);
                rewards[s] = reward(keep);
                evaluations++;
                if (rewards[s] > bestReward)
                    (bestTried, bestReward) = (keep, rewards[s]);
            }
            rewardSum += rewards.Average();
            var baseline = rewards.Average();
            var improved = baseline > bestEpisodeReward;
            bestEpisodeReward = Math.Max(bestEpisodeReward, baseline);
            var spread = Math.Sqrt(rewards.Select(r => (r - baseline) * (r - baseline)).Average());
            var actions = tensor(samples.SelectMany(k => k.Select(x => x ? 1f : 0f)).ToArray(), [options.Samples, width]);
            var advantages = tensor(rewards.Select(r => (float)((r - baseline) / (spread + 1e-6))).ToArray());
            // log π(a) of each sample: Σ over filters of a·log p + (1 − a)·log(1 − p).
            var logP = probabilities.clamp(1e-6, 1 - 1e-6);
            var logProbability = (actions * logP.log() + (1 - actions) * (1 - logP).log()).sum(1);
            var loss = -(advantages * logProbability).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            // Settled: sure of its choice, and no longer finding better ones (a policy can be sure from the start —
            // L2PF's carried-over scorer is — and still have a better choice to learn).
            if (episodes >= options.MinEpisodes && !improved && Uncertainty(policy, filterBias, features) < options.SettledUncertainty)
                break;
        }
        // The policy's greedy choice, unless a choice it tried scored better: a policy stopped before it settled can be
        // greedy towards something it never tried.
        var greedy = Greedy(policy, filterBias, features);
        var greedyReward = reward(greedy);
        evaluations++;
        var chosen = bestTried is not null && bestReward > greedyReward ? bestTried : greedy;
        return new KeepPolicyResult(chosen, episodes, evaluations, rewardSum / Math.Max(1, episodes));
    }

    /// <summary>The mean over filters of min(p, 1 − p): 0 when the policy is certain of every filter, 0.5 at a coin toss.</summary>
    public static double Uncertainty(KeepPolicy policy, Tensor filterBias, Tensor features)
    {
        using var noGrad = no_grad();
        using var p = nn.functional.sigmoid(policy.forward(features, filterBias));
        using var uncertainty = minimum(p, 1 - p).mean();
        return uncertainty.item<float>();
    }

    /// <summary>Keep where the policy's probability exceeds one half (its likeliest filter at least).</summary>
    public static bool[] Greedy(KeepPolicy policy, Tensor filterBias, Tensor features)
    {
        using var noGrad = no_grad();
        using var logits = policy.forward(features, filterBias);
        var values = logits.data<float>().ToArray();
        var keep = values.Select(v => v > 0).ToArray();
        if (!keep.Any(k => k))
            keep[Array.IndexOf(values, values.Max())] = true;
        return keep;
    }
}
