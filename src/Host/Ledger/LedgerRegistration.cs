using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Host.Hosting;
using Pipeline.Host.Privacy;

namespace Pipeline.Host.Ledger;

public static class LedgerRegistration
{
    /// <summary>The erasure ledger (Ledger:*), subject hashing (Privacy:*) and, on servers, the erasure processor.</summary>
    public static IHostApplicationBuilder AddErasureLedger(this IHostApplicationBuilder builder, HostRole role)
    {
        builder.Services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section);
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section);
        builder.Services.AddSingleton(sp => new SqliteErasureLedger(sp.GetRequiredService<IOptions<LedgerOptions>>().Value.Path));
        builder.Services.AddSingleton<IErasureLedger>(sp => sp.GetRequiredService<SqliteErasureLedger>());
        builder.Services.AddSingleton(sp =>
        {
            var ledger = sp.GetRequiredService<SqliteErasureLedger>();
            var saltFile = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(ledger.Path)!, "subject-hash.salt");
            return SubjectHasher.FromConfiguration(sp.GetRequiredService<IOptions<PrivacyOptions>>().Value, saltFile);
        });
        builder.Services.AddSingleton<ErasureQueue>();
        if (role == HostRole.Server)
            builder.Services.AddHostedService<ErasureProcessor>();
        return builder;
    }
}
