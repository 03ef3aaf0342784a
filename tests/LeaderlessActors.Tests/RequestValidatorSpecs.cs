using Akka.Configuration;
using LeaderlessActors.Coordination;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>Input limits: <see cref="RequestValidator"/> with the default settings (N = 3, 1 KiB keys, 1 MiB values).</summary>
public sealed class RequestValidatorSpecs
{
    private static readonly LeaderlessSettings Defaults = LeaderlessSettings.Create(ConfigurationFactory.Empty);
    private static readonly LeaderlessActors.Contexts.ContextAuthority Contexts = new(Defaults.Context);
    private static readonly RequestValidator Validator = new(Defaults, Contexts);
    private static readonly Versioning.VersionVector SeenClock = Versioning.VersionVector.From([new(5, 2)]);
    private static readonly Versioning.VersionVector OverlongClock =
        Versioning.VersionVector.From(Enumerable.Range(1, 1001).Select(i => new Versioning.VersionVector.Entry(i, 1)));
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly string LongestKey = new('k', 1024);
    private static readonly string KeyOfOneByteTooMany = new('k', 1025);
    // 513 two-byte characters: within 1024 characters, but 1026 bytes in UTF-8.
    private static readonly string MultiByteKeyOfTooManyBytes = new('é', 513);

    private static ReadOptions Read(Consistency? consistency = null, TimeSpan? timeout = null) => new() { Consistency = consistency, Timeout = timeout };

    private static WriteOptions Write(Consistency? consistency = null, TimeSpan? timeout = null) => new() { Consistency = consistency, Timeout = timeout };

    /// <summary>Bad requests by name (names keep the theory rows individually visible), with the reason each must give.</summary>
    internal static readonly Dictionary<string, (IStoreRequest Request, InvalidRequestReason Reason)> InvalidRequests = new()
    {
        ["get with an empty key"] = (new GetRequest(Id, ""), InvalidRequestReason.EmptyKey),
        ["get with a null key"] = (new GetRequest(Id, null!), InvalidRequestReason.EmptyKey),
        ["put with an empty key"] = (new PutRequest(Id, "", [1]), InvalidRequestReason.EmptyKey),
        ["delete with an empty key"] = (new DeleteRequest(Id, ""), InvalidRequestReason.EmptyKey),
        ["inspect with an empty key"] = (new InspectRequest(Id, ""), InvalidRequestReason.EmptyKey),
        ["empty key and a bad timeout: the key is reported"] = (new GetRequest(Id, "", Read(timeout: TimeSpan.Zero)), InvalidRequestReason.EmptyKey),
        ["get with a key one byte over max-key-bytes"] = (new GetRequest(Id, KeyOfOneByteTooMany), InvalidRequestReason.KeyTooLarge),
        ["put with a key one byte over max-key-bytes"] = (new PutRequest(Id, KeyOfOneByteTooMany, [1]), InvalidRequestReason.KeyTooLarge),
        ["delete with a key of multi-byte characters over max-key-bytes"] = (new DeleteRequest(Id, MultiByteKeyOfTooManyBytes), InvalidRequestReason.KeyTooLarge),
        ["put with a value one byte over max-value-bytes"] = (new PutRequest(Id, "k", new byte[1024 * 1024 + 1]), InvalidRequestReason.ValueTooLarge),
        ["put with a null value"] = (new PutRequest(Id, "k", null!), InvalidRequestReason.MissingValue),
        ["get with consistency above N"] = (new GetRequest(Id, "k", Read(Consistency.Of(4))), InvalidRequestReason.ConsistencyOutOfRange),
        ["put with consistency above N"] = (new PutRequest(Id, "k", [1], Options: Write(Consistency.Of(4))), InvalidRequestReason.ConsistencyOutOfRange),
        ["delete with consistency above N"] = (new DeleteRequest(Id, "k", Options: Write(Consistency.Of(4))), InvalidRequestReason.ConsistencyOutOfRange),
        ["get with consistency zero"] = (new GetRequest(Id, "k", Read(Consistency.Of(0))), InvalidRequestReason.ConsistencyOutOfRange),
        ["put with a negative consistency"] = (new PutRequest(Id, "k", [1], Options: Write(Consistency.Of(-1))), InvalidRequestReason.ConsistencyOutOfRange),
        ["get with a zero timeout"] = (new GetRequest(Id, "k", Read(timeout: TimeSpan.Zero)), InvalidRequestReason.InvalidTimeout),
        ["put with a negative timeout"] = (new PutRequest(Id, "k", [1], Options: Write(timeout: TimeSpan.FromSeconds(-1))), InvalidRequestReason.InvalidTimeout),
        ["delete with a zero timeout"] = (new DeleteRequest(Id, "k", Options: Write(timeout: TimeSpan.Zero)), InvalidRequestReason.InvalidTimeout),
        ["inspect with a negative timeout"] = (new InspectRequest(Id, "k", TimeSpan.FromMilliseconds(-1)), InvalidRequestReason.InvalidTimeout),
        ["put with a context issued for another key"] = (new PutRequest(Id, "k", [1], Contexts.Sign(SeenClock, "other")), InvalidRequestReason.MalformedContext),
        ["delete with a context the cluster never signed"] = (new DeleteRequest(Id, "k", new CausalContext(SeenClock)), InvalidRequestReason.MalformedContext),
        ["put with a context of more entries than max-clock-entries"] = (new PutRequest(Id, "k", [1], Contexts.Sign(OverlongClock, "k")), InvalidRequestReason.MalformedContext),
    };

    public static TheoryData<string> InvalidRequestNames() => new(InvalidRequests.Keys);

    [Theory]
    [MemberData(nameof(InvalidRequestNames))]
    public void RequestValidator_rejects_bad_input_with_the_matching_reason(string name)
    {
        var (request, reason) = InvalidRequests[name];
        var error = Validator.Check(request);
        Assert.NotNull(error);
        Assert.Equal(reason, error.Reason);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    public static TheoryData<string> ValidRequestNames() => new(ValidRequests.Keys);

    internal static readonly Dictionary<string, IStoreRequest> ValidRequests = new()
    {
        ["get with defaults"] = new GetRequest(Id, "k"),
        ["get of the longest key"] = new GetRequest(Id, LongestKey),
        ["get of a key of 512 two-byte characters"] = new GetRequest(Id, new string('é', 512)),
        ["put of the largest value"] = new PutRequest(Id, "k", new byte[1024 * 1024]),
        ["put of an empty value"] = new PutRequest(Id, "k", []),
        ["get at one"] = new GetRequest(Id, "k", Read(Consistency.One)),
        ["get at quorum"] = new GetRequest(Id, "k", Read(Consistency.Quorum)),
        ["put at all"] = new PutRequest(Id, "k", [1], Options: Write(Consistency.All)),
        ["delete at an explicit N"] = new DeleteRequest(Id, "k", Options: Write(Consistency.Of(3), TimeSpan.FromMilliseconds(1))),
        ["inspect with a timeout"] = new InspectRequest(Id, "k", TimeSpan.FromSeconds(1)),
        ["put with a context issued for its key"] = new PutRequest(Id, "k", [1], Contexts.Sign(SeenClock, "k")),
        ["delete with the empty context"] = new DeleteRequest(Id, "k", CausalContext.Empty),
    };

    [Theory]
    [MemberData(nameof(ValidRequestNames))]
    public void RequestValidator_accepts_input_at_the_limits(string name)
    {
        Assert.Null(Validator.Check(ValidRequests[name]));
    }

    [Fact]
    public void RequestValidator_refuses_a_sloppy_write_when_hints_are_off_and_takes_it_when_they_are_on()
    {
        var hintsOff = LeaderlessSettings.Create(ConfigurationFactory.ParseString("leaderless.hints.enabled = off"));
        var sloppy = new WriteOptions { SloppyQuorum = true };

        var refused = new RequestValidator(hintsOff, Contexts).Check(new PutRequest(Id, "k", [1], Options: sloppy));
        Assert.Equal(InvalidRequestReason.SloppyQuorumUnavailable, refused?.Reason);
        Assert.Contains("leaderless.hints.enabled", refused!.Message);
        Assert.Equal(InvalidRequestReason.SloppyQuorumUnavailable, new RequestValidator(hintsOff, Contexts).Check(new DeleteRequest(Id, "k", Options: sloppy))?.Reason);
        Assert.Null(new RequestValidator(hintsOff, Contexts).Check(new PutRequest(Id, "k", [1], Options: new WriteOptions { SloppyQuorum = false })));
        Assert.Null(Validator.Check(new PutRequest(Id, "k", [1], Options: sloppy)));
    }
}
