using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Serialization;

/// <summary>
/// Bytes that earlier versions wrote to journals and snapshot stores, and sent between nodes, must still read back as the
/// same values: a rename or a new field could otherwise make every existing journal unreadable, or split a cluster in the
/// middle of a rolling upgrade. Hyperion writes the fields of the store's known types by position, in the ordinal order
/// of their names, and those of other types by name, so a renamed field must keep its place and its old name must still
/// read. The bytes below were written by the code of commit 9f1ab71 (before "ReplicaId" became "ReplicaEpoch" and a dot's
/// "Replica" its "Epoch"); never regenerate them: add new rows for new types instead.
/// </summary>
public class StoredFormatSpecs() : TestKit("akka.loglevel = WARNING\nleaderless.storage.backend = memory\nleaderless.replication-factor = 1")
{
    // The values the bytes below were written from: an address and a key state with a value and a tombstone.
    private static readonly Akka.Actor.Address Node = WireSerializerSpecs.Node;
    private static readonly SiblingSet State = WireSerializerSpecs.State;

    public static TheoryData<object, string> WrittenEarlier() => new()
    {
        {
            new KeyUpdated("k", State),
            "RVOpzAC28jQB/gsABwJr/g8A/hIA+0MAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuVmVyc2lvblZlY3RvcitFbnRyeVtd" +
            "LCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EwACAQAAAAAAAAACBwAAAAAAAAD+EwACAQAAAAAAAAACKgAAAAAAAAD7NwAAAExlYWRl" +
            "cmxlc3NBY3RvcnMuVmVyc2lvbmluZy5TaWJsaW5nW10sIExlYWRlcmxlc3NBY3RvcnMAAgAAAP4QAP4VAAIBAAAAAAAAAAIHAAAA" +
            "AAAAAAD+EAD+FQACAQAAAAAAAAACKgAAAAAAAAAJAwAAAAECAw=="
        },
        {
            new ReplicaEpochStarted(42),
            "8aUv4n1LOl0B/goAAioAAAAAAAAA"
        },
        {
            new ReplicaHistoryLost(43, "history lost: journal event 3 is unreadable"),
            "ibbqsWAMtPMB/ioAByxoaXN0b3J5IGxvc3Q6IGpvdXJuYWwgZXZlbnQgMyBpcyB1bnJlYWRhYmxlAisAAAAAAAAA"
        },
        {
            new ReplicaResynced(43),
            "w0kV40VvmCkB/isAAisAAAAAAAAA"
        },
        {
            new ReplicaSnapshot(42, [new("k", State)]),
            "CbrTYoMVa5cB/gwA+7UAAABTeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5LZXlWYWx1ZVBhaXJgMltbU3lzdGVtLlN0cmluZywg" +
            "U3lzdGVtLlByaXZhdGUuQ29yZUxpYiwlY29yZSVdLFtMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuU2libGluZ1NldCwgTGVh" +
            "ZGVybGVzc0FjdG9yc11dW10sIFN5c3RlbS5Qcml2YXRlLkNvcmVMaWIsJWNvcmUlAAEAAAD+DQAHAmv+DwD+EgD7QwAAAExlYWRl" +
            "cmxlc3NBY3RvcnMuVmVyc2lvbmluZy5WZXJzaW9uVmVjdG9yK0VudHJ5W10sIExlYWRlcmxlc3NBY3RvcnMAAgAAAP4TAAIBAAAA" +
            "AAAAAAIHAAAAAAAAAP4TAAIBAAAAAAAAAAIqAAAAAAAAAPs3AAAATGVhZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlNpYmxpbmdb" +
            "XSwgTGVhZGVybGVzc0FjdG9ycwACAAAA/hAA/hUAAgEAAAAAAAAAAgcAAAAAAAAAAP4QAP4VAAIBAAAAAAAAAAIqAAAAAAAAAAkD" +
            "AAAAAQIDAioAAAAAAAAA"
        },
        {
            new PartitionSnapshot(42, [new("k", State)], null, []),
            "nuNsvuuEBxMB/jAA/g4AAQAAAP4NAAcCa/4PAP4SAPtDAAAATGVhZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlZlcnNpb25WZWN0" +
            "b3IrRW50cnlbXSwgTGVhZGVybGVzc0FjdG9ycwACAAAA/hMAAgEAAAAAAAAAAgcAAAAAAAAA/hMAAgEAAAAAAAAAAioAAAAAAAAA" +
            "+zcAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuU2libGluZ1tdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EAD+FQACAQAA" +
            "AAAAAAACBwAAAAAAAAAA/hAA/hUAAgEAAAAAAAAAAioAAAAAAAAACQMAAAABAgP7lAAAAFN5c3RlbS5Db2xsZWN0aW9ucy5HZW5l" +
            "cmljLktleVZhbHVlUGFpcmAyW1tBa2thLkFjdG9yLkFkZHJlc3MsIEFra2FdLFtTeXN0ZW0uSW50NjQsIFN5c3RlbS5Qcml2YXRl" +
            "LkNvcmVMaWIsJWNvcmUlXV1bXSwgU3lzdGVtLlByaXZhdGUuQ29yZUxpYiwlY29yZSUAAAAAAAACKgAAAAAAAAA="
        },
        {
            new PartitionSnapshot(42, [new("k", State)], new RepairNeed("history lost", FromEveryPeer: true), [new(Node, 41)]),
            "psLteRwdogsB/jAA/g4AAQAAAP4NAAcCa/4PAP4SAPtDAAAATGVhZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlZlcnNpb25WZWN0" +
            "b3IrRW50cnlbXSwgTGVhZGVybGVzc0FjdG9ycwACAAAA/hMAAgEAAAAAAAAAAgcAAAAAAAAA/hMAAgEAAAAAAAAAAioAAAAAAAAA" +
            "+zcAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuU2libGluZ1tdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EAD+FQACAQAA" +
            "AAAAAAACBwAAAAAAAAAA/hAA/hUAAgEAAAAAAAAAAioAAAAAAAAACQMAAAABAgP7lAAAAFN5c3RlbS5Db2xsZWN0aW9ucy5HZW5l" +
            "cmljLktleVZhbHVlUGFpcmAyW1tBa2thLkFjdG9yLkFkZHJlc3MsIEFra2FdLFtTeXN0ZW0uSW50NjQsIFN5c3RlbS5Qcml2YXRl" +
            "LkNvcmVMaWIsJWNvcmUlXV1bXSwgU3lzdGVtLlByaXZhdGUuQ29yZUxpYiwlY29yZSUAAQAAAP4yAPspAAAAQWtrYS5BY3Rvci5B" +
            "ZGRyZXNzK0FkZHJlc3NTdXJyb2dhdGUsIEFra2EEFQAAADxIb3N0PmtfX0JhY2tpbmdGaWVsZBUAAAA8UG9ydD5rX19CYWNraW5n" +
            "RmllbGQZAAAAPFByb3RvY29sPmtfX0JhY2tpbmdGaWVsZBcAAAA8U3lzdGVtPmtfX0JhY2tpbmdGaWVsZAcKMTI3LjAuMC4xCPgJ" +
            "AAAHCWFra2EudGNwBwRzeXMCKQAAAAAAAAD+LwAGAQcNaGlzdG9yeSBsb3N0AioAAAAAAAAA"
        },
        {
            new PeerReplicaSeen(Node, 43),
            "JF5GX9jxLrcB/jEA+ykAAABBa2thLkFjdG9yLkFkZHJlc3MrQWRkcmVzc1N1cnJvZ2F0ZSwgQWtrYQQVAAAAPEhvc3Q+a19fQmFj" +
            "a2luZ0ZpZWxkFQAAADxQb3J0PmtfX0JhY2tpbmdGaWVsZBkAAAA8UHJvdG9jb2w+a19fQmFja2luZ0ZpZWxkFwAAADxTeXN0ZW0+" +
            "a19fQmFja2luZ0ZpZWxkBwoxMjcuMC4wLjEI+AkAAAcJYWtrYS50Y3AHBHN5cwIrAAAAAAAAAA=="
        },
        {
            new PartitionReleased(43, State.Clock),
            "5XiuyEvS+uAB/koA/hIA+0MAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuVmVyc2lvblZlY3RvcitFbnRyeVtdLCBMZWFk" +
            "ZXJsZXNzQWN0b3JzAAIAAAD+EwACAQAAAAAAAAACBwAAAAAAAAD+EwACAQAAAAAAAAACKgAAAAAAAAACKwAAAAAAAAA="
        },
        {
            new PartitionSnapshotWithCollected(43, [], RepairNeed.Released, [new(Node, 41)], [42], State.Clock),
            "DTd4ctlLSBUB/kkA/hIA+0MAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuVmVyc2lvblZlY3RvcitFbnRyeVtdLCBMZWFk" +
            "ZXJsZXNzQWN0b3JzAAIAAAD+EwACAQAAAAAAAAACBwAAAAAAAAD+EwACAQAAAAAAAAACKgAAAAAAAAD+DgAAAAAA/jMAAQAAAP4y" +
            "APspAAAAQWtrYS5BY3Rvci5BZGRyZXNzK0FkZHJlc3NTdXJyb2dhdGUsIEFra2EEFQAAADxIb3N0PmtfX0JhY2tpbmdGaWVsZBUA" +
            "AAA8UG9ydD5rX19CYWNraW5nRmllbGQZAAAAPFByb3RvY29sPmtfX0JhY2tpbmdGaWVsZBcAAAA8U3lzdGVtPmtfX0JhY2tpbmdG" +
            "aWVsZAcKMTI3LjAuMC4xCPgJAAAHCWFra2EudGNwBwRzeXMCKQAAAAAAAAD+LwAGAQdJbm8gbG9uZ2VyIGFuIG93bmVyOiBpdHMg" +
            "Y29weSB3YXMgZHJvcHBlZCBvbmNlIHRoZSBuZXcgb3duZXJzIHdlcmUgZmlsbGVkAisAAAAAAAAA/AIBAAAAKgAAAAAAAAA="
        },
        {
            new ReadKey(1, 2, "k"),
            "/gAABwJrCAIAAAACAQAAAAAAAAA="
        },
        {
            new CoordinateWrite(1, 2, "k", [9], State.Clock, 64),
            "/gEA/hIA+0MAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuVmVyc2lvblZlY3RvcitFbnRyeVtdLCBMZWFkZXJsZXNzQWN0" +
            "b3JzAAIAAAD+EwACAQAAAAAAAAACBwAAAAAAAAD+EwACAQAAAAAAAAACKgAAAAAAAAAHAmsIQAAAAAgCAAAAAgEAAAAAAAAACQEA" +
            "AAAJ"
        },
        {
            new CoordinateWrite(1, 2, "k", null, VersionVector.Empty, 64),
            "/gEA/hIA+0MAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuVmVyc2lvblZlY3RvcitFbnRyeVtdLCBMZWFkZXJsZXNzQWN0" +
            "b3JzAAAAAAAHAmsIQAAAAAgCAAAAAgEAAAAAAAAAAA=="
        },
        {
            new MergeKeyState(1, 2, "k", State),
            "/gIABwJrCAIAAAACAQAAAAAAAAD+DwD+EgD7QwAAAExlYWRlcmxlc3NBY3RvcnMuVmVyc2lvbmluZy5WZXJzaW9uVmVjdG9yK0Vu" +
            "dHJ5W10sIExlYWRlcmxlc3NBY3RvcnMAAgAAAP4TAAIBAAAAAAAAAAIHAAAAAAAAAP4TAAIBAAAAAAAAAAIqAAAAAAAAAPs3AAAA" +
            "TGVhZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlNpYmxpbmdbXSwgTGVhZGVybGVzc0FjdG9ycwACAAAA/hAA/hUAAgEAAAAAAAAA" +
            "AgcAAAAAAAAAAP4QAP4VAAIBAAAAAAAAAAIqAAAAAAAAAAkDAAAAAQIDBgA="
        },
        {
            new KeyRead(1, Node, State),
            "/gQABgD7KQAAAEFra2EuQWN0b3IuQWRkcmVzcytBZGRyZXNzU3Vycm9nYXRlLCBBa2thBBUAAAA8SG9zdD5rX19CYWNraW5nRmll" +
            "bGQVAAAAPFBvcnQ+a19fQmFja2luZ0ZpZWxkGQAAADxQcm90b2NvbD5rX19CYWNraW5nRmllbGQXAAAAPFN5c3RlbT5rX19CYWNr" +
            "aW5nRmllbGQHCjEyNy4wLjAuMQj4CQAABwlha2thLnRjcAcEc3lzAgEAAAAAAAAA/g8A/hIA+0MAAABMZWFkZXJsZXNzQWN0b3Jz" +
            "LlZlcnNpb25pbmcuVmVyc2lvblZlY3RvcitFbnRyeVtdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EwACAQAAAAAAAAACBwAAAAAA" +
            "AAD+EwACAQAAAAAAAAACKgAAAAAAAAD7NwAAAExlYWRlcmxlc3NBY3RvcnMuVmVyc2lvbmluZy5TaWJsaW5nW10sIExlYWRlcmxl" +
            "c3NBY3RvcnMAAgAAAP4QAP4VAAIBAAAAAAAAAAIHAAAAAAAAAAD+EAD+FQACAQAAAAAAAAACKgAAAAAAAAAJAwAAAAECAw=="
        },
        {
            new WriteCoordinated(1, Node, State, new Dot(42, 2)),
            "/gUA/hUAAgIAAAAAAAAAAioAAAAAAAAA+ykAAABBa2thLkFjdG9yLkFkZHJlc3MrQWRkcmVzc1N1cnJvZ2F0ZSwgQWtrYQQVAAAA" +
            "PEhvc3Q+a19fQmFja2luZ0ZpZWxkFQAAADxQb3J0PmtfX0JhY2tpbmdGaWVsZBkAAAA8UHJvdG9jb2w+a19fQmFja2luZ0ZpZWxk" +
            "FwAAADxTeXN0ZW0+a19fQmFja2luZ0ZpZWxkBwoxMjcuMC4wLjEI+AkAAAcJYWtrYS50Y3AHBHN5cwIBAAAAAAAAAP4PAP4SAPtD" +
            "AAAATGVhZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlZlcnNpb25WZWN0b3IrRW50cnlbXSwgTGVhZGVybGVzc0FjdG9ycwACAAAA" +
            "/hMAAgEAAAAAAAAAAgcAAAAAAAAA/hMAAgEAAAAAAAAAAioAAAAAAAAA+zcAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcu" +
            "U2libGluZ1tdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EAD+FQACAQAAAAAAAAACBwAAAAAAAAAA/hAA/hUAAgEAAAAAAAAAAioA" +
            "AAAAAAAACQMAAAABAgM="
        },
        {
            new KeyStored(1, Node),
            "/gYA+ykAAABBa2thLkFjdG9yLkFkZHJlc3MrQWRkcmVzc1N1cnJvZ2F0ZSwgQWtrYQQVAAAAPEhvc3Q+a19fQmFja2luZ0ZpZWxk" +
            "FQAAADxQb3J0PmtfX0JhY2tpbmdGaWVsZBkAAAA8UHJvdG9jb2w+a19fQmFja2luZ0ZpZWxkFwAAADxTeXN0ZW0+a19fQmFja2lu" +
            "Z0ZpZWxkBwoxMjcuMC4wLjEI+AkAAAcJYWtrYS50Y3AHBHN5cwIBAAAAAAAAAA=="
        },
        {
            new KeyInspected(1, Node, 2, 42, State),
            "/gcA+ykAAABBa2thLkFjdG9yLkFkZHJlc3MrQWRkcmVzc1N1cnJvZ2F0ZSwgQWtrYQQVAAAAPEhvc3Q+a19fQmFja2luZ0ZpZWxk" +
            "FQAAADxQb3J0PmtfX0JhY2tpbmdGaWVsZBkAAAA8UHJvdG9jb2w+a19fQmFja2luZ0ZpZWxkFwAAADxTeXN0ZW0+a19fQmFja2lu" +
            "Z0ZpZWxkBwoxMjcuMC4wLjEI+AkAAAcJYWtrYS50Y3AHBHN5cwgCAAAAAAIqAAAAAAAAAAIBAAAAAAAAAP4PAP4SAPtDAAAATGVh" +
            "ZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlZlcnNpb25WZWN0b3IrRW50cnlbXSwgTGVhZGVybGVzc0FjdG9ycwACAAAA/hMAAgEA" +
            "AAAAAAAAAgcAAAAAAAAA/hMAAgEAAAAAAAAAAioAAAAAAAAA+zcAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuU2libGlu" +
            "Z1tdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EAD+FQACAQAAAAAAAAACBwAAAAAAAAAA/hAA/hUAAgEAAAAAAAAAAioAAAAAAAAA" +
            "CQMAAAABAgM="
        },
        {
            new ReplicaFailed(1, Node, ReplicaFailure.StorageFailed, "disk"),
            "/ggA/gkACAAAAAAHBWRpc2v7KQAAAEFra2EuQWN0b3IuQWRkcmVzcytBZGRyZXNzU3Vycm9nYXRlLCBBa2thBBUAAAA8SG9zdD5r" +
            "X19CYWNraW5nRmllbGQVAAAAPFBvcnQ+a19fQmFja2luZ0ZpZWxkGQAAADxQcm90b2NvbD5rX19CYWNraW5nRmllbGQXAAAAPFN5" +
            "c3RlbT5rX19CYWNraW5nRmllbGQHCjEyNy4wLjAuMQj4CQAABwlha2thLnRjcAcEc3lzAgEAAAAAAAAA"
        },
        {
            new StreamPartition(1, 2, 4096, Node, 42, RequesterFresh: true),
            "/iwACAAQAAAIAgAAAAIBAAAAAAAAAPspAAAAQWtrYS5BY3Rvci5BZGRyZXNzK0FkZHJlc3NTdXJyb2dhdGUsIEFra2EEFQAAADxI" +
            "b3N0PmtfX0JhY2tpbmdGaWVsZBUAAAA8UG9ydD5rX19CYWNraW5nRmllbGQZAAAAPFByb3RvY29sPmtfX0JhY2tpbmdGaWVsZBcA" +
            "AAA8U3lzdGVtPmtfX0JhY2tpbmdGaWVsZAcKMTI3LjAuMC4xCPgJAAAHCWFra2EudGNwBwRzeXMCKgAAAAAAAAAGAQ=="
        },
        {
            new PartitionChunk(1, Node, [new("k", State)], Last: true, EarlierEpoch: 41),
            "/i0AAikAAAAAAAAA/g4AAQAAAP4NAAcCa/4PAP4SAPtDAAAATGVhZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlZlcnNpb25WZWN0" +
            "b3IrRW50cnlbXSwgTGVhZGVybGVzc0FjdG9ycwACAAAA/hMAAgEAAAAAAAAAAgcAAAAAAAAA/hMAAgEAAAAAAAAAAioAAAAAAAAA" +
            "+zcAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuU2libGluZ1tdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EAD+FQACAQAA" +
            "AAAAAAACBwAAAAAAAAAA/hAA/hUAAgEAAAAAAAAAAioAAAAAAAAACQMAAAABAgMGAfspAAAAQWtrYS5BY3Rvci5BZGRyZXNzK0Fk" +
            "ZHJlc3NTdXJyb2dhdGUsIEFra2EEFQAAADxIb3N0PmtfX0JhY2tpbmdGaWVsZBUAAAA8UG9ydD5rX19CYWNraW5nRmllbGQZAAAA" +
            "PFByb3RvY29sPmtfX0JhY2tpbmdGaWVsZBcAAAA8U3lzdGVtPmtfX0JhY2tpbmdGaWVsZAcKMTI3LjAuMC4xCPgJAAAHCWFra2Eu" +
            "dGNwBwRzeXMCAQAAAAAAAAA="
        },
        {
            new PartitionChunkStored(1),
            "/i4AAgEAAAAAAAAA"
        },
        {
            new ReplicaHandoffStarted(44),
            "ngbw4TY3bUQB+0QAAABMZWFkZXJsZXNzQWN0b3JzLlJlcGxpY2F0aW9uLlJlcGxpY2FIYW5kb2ZmU3RhcnRlZCwgTGVhZGVybGVz" +
            "c0FjdG9ycwEaAAAAPFJlcGxpY2FJZD5rX19CYWNraW5nRmllbGQCLAAAAAAAAAA="
        },
        {
            new ReplicaEpochRenewed(45),
            "ecYRNbyaGxYB+0IAAABMZWFkZXJsZXNzQWN0b3JzLlJlcGxpY2F0aW9uLlJlcGxpY2FFcG9jaFJlbmV3ZWQsIExlYWRlcmxlc3NB" +
            "Y3RvcnMBGgAAADxSZXBsaWNhSWQ+a19fQmFja2luZ0ZpZWxkAi0AAAAAAAAA"
        },
        {
            new ReplicaStoppedCleanly(46),
            "7LZaT2Wp81sB+0QAAABMZWFkZXJsZXNzQWN0b3JzLlJlcGxpY2F0aW9uLlJlcGxpY2FTdG9wcGVkQ2xlYW5seSwgTGVhZGVybGVz" +
            "c0FjdG9ycwEaAAAAPFJlcGxpY2FJZD5rX19CYWNraW5nRmllbGQCLgAAAAAAAAA="
        },
        {
            new PartitionSnapshotWithEpochs(42, [new("k", State)], null, [new(Node, 41)], [40]),
            "15ttT00QgEsB+0oAAABMZWFkZXJsZXNzQWN0b3JzLlJlcGxpY2F0aW9uLlBhcnRpdGlvblNuYXBzaG90V2l0aEVwb2NocywgTGVh" +
            "ZGVybGVzc0FjdG9ycwUVAAAAPEtleXM+a19fQmFja2luZ0ZpZWxkGwAAADxQZWVyRXBvY2hzPmtfX0JhY2tpbmdGaWVsZBcAAAA8" +
            "UmVwYWlyPmtfX0JhY2tpbmdGaWVsZBoAAAA8UmVwbGljYUlkPmtfX0JhY2tpbmdGaWVsZB4AAAA8UmV0aXJlZEVwb2Nocz5rX19C" +
            "YWNraW5nRmllbGT+DgABAAAA/g0ABwJr/g8A/hIA+0MAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuVmVyc2lvblZlY3Rv" +
            "citFbnRyeVtdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EwACAQAAAAAAAAACBwAAAAAAAAD+EwACAQAAAAAAAAACKgAAAAAAAAD7" +
            "NwAAAExlYWRlcmxlc3NBY3RvcnMuVmVyc2lvbmluZy5TaWJsaW5nW10sIExlYWRlcmxlc3NBY3RvcnMAAgAAAP4QAP4VAAIBAAAA" +
            "AAAAAAIHAAAAAAAAAAD+EAD+FQACAQAAAAAAAAACKgAAAAAAAAAJAwAAAAECA/4zAAEAAAD+MgD7KQAAAEFra2EuQWN0b3IuQWRk" +
            "cmVzcytBZGRyZXNzU3Vycm9nYXRlLCBBa2thBBUAAAA8SG9zdD5rX19CYWNraW5nRmllbGQVAAAAPFBvcnQ+a19fQmFja2luZ0Zp" +
            "ZWxkGQAAADxQcm90b2NvbD5rX19CYWNraW5nRmllbGQXAAAAPFN5c3RlbT5rX19CYWNraW5nRmllbGQHCjEyNy4wLjAuMQj4CQAA" +
            "Bwlha2thLnRjcAcEc3lzAikAAAAAAAAAAAIqAAAAAAAAAPwCAQAAACgAAAAAAAAA"
        },
        {
            new TombstonesCollected(42, ["a", "b"], State.Clock),
            "J2PZanmWCC4B/kgA/hIA+0MAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcuVmVyc2lvblZlY3RvcitFbnRyeVtdLCBMZWFk" +
            "ZXJsZXNzQWN0b3JzAAIAAAD+EwACAQAAAAAAAAACBwAAAAAAAAD+EwACAQAAAAAAAAACKgAAAAAAAAD8BwIAAAACYQJiAioAAAAA" +
            "AAAA"
        },
        {
            new InspectResponse(Guid.Parse("11111111-2222-3333-4444-555555555555"), new KeyInspection("k", 3,
                new[] { new ReplicaState("n", 3, 0, "000000000000002a", CausalContext.Empty, new[] { new StoredVersion("2a:1", [1]) }, "why") },
                new[] { "m" })),
            "/h8ACxEREREiIjMzRERVVVVVVVX+JwAHAmv8BwEAAAACbQgDAAAA+zEAAABMZWFkZXJsZXNzQWN0b3JzLlJlcGxpY2FTdGF0ZVtd" +
            "LCBMZWFkZXJsZXNzQWN0b3JzAAEAAAD+KAD+JAD+EgD7QwAAAExlYWRlcmxlc3NBY3RvcnMuVmVyc2lvbmluZy5WZXJzaW9uVmVj" +
            "dG9yK0VudHJ5W10sIExlYWRlcmxlc3NBY3RvcnMAAAAAAAAHAm4IAwAAAAcEd2h5BxEwMDAwMDAwMDAwMDAwMDJhCAAAAAD7MgAA" +
            "AExlYWRlcmxlc3NBY3RvcnMuU3RvcmVkVmVyc2lvbltdLCBMZWFkZXJsZXNzQWN0b3JzAAEAAAD+KQAHBTJhOjEJAQAAAAE="
        },
        {
            // The early answer of a coordinating replica (written by the commit that added it, at the end of the known types).
            new WriteIssued(1, Node, State, new Dot(42, 2)),
            "/kwA/hUAAgIAAAAAAAAAAioAAAAAAAAA+ykAAABBa2thLkFjdG9yLkFkZHJlc3MrQWRkcmVzc1N1cnJvZ2F0ZSwgQWtrYQQVAAAA" +
            "PEhvc3Q+a19fQmFja2luZ0ZpZWxkFQAAADxQb3J0PmtfX0JhY2tpbmdGaWVsZBkAAAA8UHJvdG9jb2w+a19fQmFja2luZ0ZpZWxk" +
            "FwAAADxTeXN0ZW0+a19fQmFja2luZ0ZpZWxkBwoxMjcuMC4wLjEI+AkAAAcJYWtrYS50Y3AHBHN5cwIBAAAAAAAAAP4PAP4SAPtD" +
            "AAAATGVhZGVybGVzc0FjdG9ycy5WZXJzaW9uaW5nLlZlcnNpb25WZWN0b3IrRW50cnlbXSwgTGVhZGVybGVzc0FjdG9ycwACAAAA" +
            "/hMAAgEAAAAAAAAAAgcAAAAAAAAA/hMAAgEAAAAAAAAAAioAAAAAAAAA+zcAAABMZWFkZXJsZXNzQWN0b3JzLlZlcnNpb25pbmcu" +
            "U2libGluZ1tdLCBMZWFkZXJsZXNzQWN0b3JzAAIAAAD+EAD+FQACAQAAAAAAAAACBwAAAAAAAAAA/hAA/hUAAgEAAAAAAAAAAioA" +
            "AAAAAAAACQMAAAABAgM="
        },
    };

    [Theory]
    [MemberData(nameof(WrittenEarlier))]
    public void Bytes_an_earlier_version_wrote_read_back_as_the_same_value(object expected, string written)
    {
        LeaderlessStore.Get(Sys); // injects the bindings of the store serializers
        var serializer = Sys.Serialization.FindSerializerFor(expected);

        var read = serializer.FromBinary(Convert.FromBase64String(written), expected.GetType());

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected, expected.GetType()),
            System.Text.Json.JsonSerializer.Serialize(read, expected.GetType()));
    }
}
