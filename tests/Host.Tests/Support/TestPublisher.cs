using Pipeline.Contracts.Messages;
using Pipeline.Node.Erasure.Security;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// The erasure-request publisher the tests' hosts trust: its key is set in every TestHost and ServeProcess (test
/// configuration, never the product's), and <see cref="Sign"/> signs a request as that publisher does.
/// </summary>
public static class TestPublisher
{
    public const string Name = "test-governance";

    /// <summary>32 fixed bytes, so separate processes of one test agree on the key.</summary>
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    public static string KeySetting => $"{ErasureSecurityOptions.Section}:Publishers:{Name}:Key";

    public static UnlearnRequested Sign(UnlearnRequested request) => ErasureRequestSignature.Sign(request, Name, Key);

    /// <summary>The settings with the test publisher's key added, unless the test configures keys itself.</summary>
    public static Dictionary<string, string?> Trusting(IDictionary<string, string?> settings)
    {
        var trusting = new Dictionary<string, string?>(settings);
        if (!trusting.Keys.Any(k => k.StartsWith($"{ErasureSecurityOptions.Section}:Publishers:", StringComparison.OrdinalIgnoreCase)))
            trusting[KeySetting] = Convert.ToBase64String(Key);
        return trusting;
    }
}
