using Pipeline.Node.Privacy;

namespace Pipeline.Host.Tests.Privacy;

public sealed class SubjectHasherTests
{
    [Fact]
    public void The_hash_is_stable_for_one_salt_and_differs_between_salts_and_subjects()
    {
        var a = new SubjectHasher("salt-1"u8.ToArray());
        var b = new SubjectHasher("salt-2"u8.ToArray());

        Assert.Equal(a.Hash("alice"), a.Hash("alice"));
        Assert.NotEqual(a.Hash("alice"), a.Hash("bob"));
        Assert.NotEqual(a.Hash("alice"), b.Hash("alice"));
        Assert.DoesNotContain("alice", a.Hash("alice"));
    }

    [Fact]
    public void A_generated_salt_is_kept_so_hashes_survive_a_restart()
    {
        var saltFile = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"), "subject-hash.salt");

        var first = SubjectHasher.FromConfiguration(new PrivacyOptions(), saltFile).Hash("alice");
        var second = SubjectHasher.FromConfiguration(new PrivacyOptions(), saltFile).Hash("alice");

        Assert.True(File.Exists(saltFile));
        Assert.Equal(first, second);
    }
}
