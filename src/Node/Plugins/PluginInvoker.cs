using Microsoft.Extensions.Options;

namespace Pipeline.Node.Plugins;

/// <summary>
/// Calls a plugin under its timeout and turns whatever it throws into a PluginFailedException naming it, so a
/// failing plugin faults only the message it was handling.
/// </summary>
public sealed class PluginInvoker(IOptions<PluginOptions> options)
{
    public async Task<T> InvokeAsync<T>(LoadedPlugin plugin, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var timeout = options.Value.TimeoutFor(plugin.Name);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // WaitAsync bounds the wait even for a plugin that ignores its cancellation token.
            return await call(deadline.Token).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && deadline.IsCancellationRequested))
        {
            throw new PluginFailedException(plugin.Name, $"timed out after {timeout.TotalSeconds:0.###} s", exception);
        }
        catch (Exception exception) when (exception is not PluginFailedException)
        {
            throw new PluginFailedException(plugin.Name, $"failed: {exception.GetType().Name}: {exception.Message}", exception);
        }
    }
}
