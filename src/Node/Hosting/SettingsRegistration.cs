using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Pipeline.Node.Hosting;

/// <summary>
/// The one way the node takes a configuration section: bound to a settings class, checked when the host starts
/// (ValidateOnStart), and every problem reported as "Section:Key: reason" — a node with a bad setting does not start.
/// </summary>
public static class SettingsRegistration
{
    public static OptionsBuilder<T> AddSettings<T>(this IHostApplicationBuilder builder, string section) where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return builder.Services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            options is ICheckedSettings checkedSettings && checkedSettings.Problems().ToList() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems.Select(p => $"{section}:{p.Key}: {p.Reason}"))
                : ValidateOptionsResult.Success;
    }
}
