using Microsoft.Extensions.Configuration;
using Pipeline.Contracts.Messages;
using Pipeline.Node.Erasure.Security;

namespace Pipeline.Host.Cli;

/// <summary>
/// How `pipeline unlearn` signs: with the configured Security:Erasure:Signing key; on the in-memory bus, where this
/// process is also the node that acts, with a key made for this one run when none is configured (the node trusts it
/// through a configuration override that lives only in this process).
/// </summary>
public static class RequestSigning
{
    private const string EphemeralPublisher = "pipeline-cli-local";

    public static (UnlearnRequested Request, Dictionary<string, string?>? Overrides) ForCli(UnlearnRequested request, IConfiguration configuration,
        bool inMemory, bool unsigned)
    {
        if (unsigned)
            return (request, null);
        var signing = configuration.GetSection(ErasureSecurityOptions.Section).Get<ErasureSecurityOptions>()?.Signing ?? new SigningOptions();
        if (signing.Publisher is not null)
        {
            byte[] key;
            try
            {
                key = SigningKey.Read($"{ErasureSecurityOptions.Section}:Signing", signing.Key, signing.KeyFile);
            }
            catch (InvalidOperationException bad)
            {
                throw new UsageException(bad.Message);
            }
            return (ErasureRequestSignature.Sign(request, signing.Publisher, key), null);
        }
        if (!inMemory)
            throw new UsageException($"no signing key: set {ErasureSecurityOptions.Section}:Signing:Publisher and Key or KeyFile " +
                                     "(serve nodes refuse unsigned erasure requests), or pass --unsigned");
        var ephemeral = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var overrides = new Dictionary<string, string?>
        {
            [$"{ErasureSecurityOptions.Section}:Publishers:{EphemeralPublisher}:Key"] = Convert.ToBase64String(ephemeral),
        };
        return (ErasureRequestSignature.Sign(request, EphemeralPublisher, ephemeral), overrides);
    }
}
