using Pipeline.Contracts.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Node.Erasure;
using Pipeline.Node.Hosting;
using Pipeline.Node.Privacy;

namespace Pipeline.Node.Erasure.Ledger;

public static class LedgerRegistration
{
    /// <summary>The erasure ledger (Ledger:*), subject hashing (Privacy:*) and, on servers, the erasure processor.</summary>
    public static IHostApplicationBuilder AddErasureLedger(this IHostApplicationBuilder builder, HostRole role)
    {
        builder.AddSettings<LedgerOptions>(LedgerOptions.Section);
        builder.AddSettings<PrivacyOptions>(PrivacyOptions.Section);
        builder.Services.AddSingleton(sp => LedgerFactory.Open(sp.GetRequiredService<IOptions<LedgerOptions>>().Value));
        builder.Services.AddSingleton(sp => SubjectHasher.FromConfiguration(sp.GetRequiredService<IOptions<PrivacyOptions>>().Value,
            GeneratedSaltSource(sp.GetRequiredService<IErasureLedger>())));
        builder.Services.AddSingleton<ErasureQueue>();
        if (role == HostRole.Server)
        {
            builder.Services.AddSingleton<OutcomeAnnouncer>();
            builder.Services.AddSingleton<Bus.IRefusalNotice<UnlearnRequested>, UnlearnRequestedRefusalNotice>();
            builder.Services.AddSingleton<IUnfinishedWork<Guid>, UnfinishedErasures>();
            builder.Services.AddHostedService<ErasureProcessor>();
        }
        return builder;
    }

    /// <summary>
    /// Where the subject-hash salt is generated and kept when Privacy:SubjectHashSalt is empty: beside the SQLite file
    /// (nodes on one host share it), or in the PostgreSQL ledger itself, so every node of a fleet hashes alike.
    /// </summary>
    private static Func<byte[]> GeneratedSaltSource(IErasureLedger ledger) => ledger switch
    {
        PostgresErasureLedger shared => shared.SubjectHashSalt,
        SqliteErasureLedger local => () => SubjectHasher.SaltFromFile(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(local.Path)!, "subject-hash.salt")),
        _ => throw new LedgerConfigurationException($"no place to keep the subject-hash salt for the ledger {ledger.Location}; set Privacy:SubjectHashSalt"),
    };
}
