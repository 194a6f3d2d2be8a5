namespace Pipeline.Node.Erasure.Ledger;

/// <summary>The Ledger:* settings cannot open a ledger; the message is one line naming the setting to fix.</summary>
public sealed class LedgerConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
