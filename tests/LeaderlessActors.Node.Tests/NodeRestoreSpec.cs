using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// kv679 on real node processes: a node's SQLite files are copied while it runs, it writes on, it is killed, the older
/// copy is put back (a restore from backup) and it starts again. It must not reissue a version its earlier self issued,
/// or the peers drop its new writes as already seen.
/// </summary>
public class NodeRestoreSpec
{
    private const int Keys = 30;

    [Fact]
    public async Task Every_write_a_node_coordinates_after_a_restore_from_an_older_copy_of_its_storage_is_readable_at_quorum_and_at_all()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);
        var keys = Enumerable.Range(0, Keys).Select(i => $"restored-{i}").ToArray();
        // Node 2 coordinates every write (its own replica issues the versions); w=all so the peers hold each one.
        await PutAllAsync(nodes, keys, "before-copy", "?w=all");
        var copy = Path.Combine(Path.GetTempPath(), "leaderless-node-tests", $"copy-{Guid.NewGuid():N}");
        CopyFolder(nodes.DataFolder(2), copy);
        await PutAllAsync(nodes, keys, "after-copy", "?w=all"); // versions the copy does not know of

        nodes.Kill(2);
        Directory.Delete(nodes.DataFolder(2), recursive: true);
        CopyFolder(copy, nodes.DataFolder(2));
        Directory.Delete(copy, recursive: true);
        await nodes.RestartAsync(2);

        // Written without a context, as a blind put: the version counter comes from the restored replica's own state.
        await PutAllAsync(nodes, keys, "after-restore", "?w=quorum");

        foreach (var consistency in new[] { "quorum", "all" })
        {
            var missing = new List<string>();
            await nodes.EventuallyAsync(async () =>
            {
                missing.Clear();
                foreach (var key in keys)
                    if (!(await nodes.Http[0].ValuesAsync(key, $"?r={consistency}")).Contains($"after-restore {key}")) missing.Add(key);
                return missing.Count == 0;
            }, TimeSpan.FromSeconds(60), $"every write acknowledged after the restore to be readable at r={consistency}");
            Assert.Empty(missing);
        }
    }

    private static async Task PutAllAsync(NodeProcesses nodes, string[] keys, string value, string query)
    {
        foreach (var key in keys)
        {
            using var put = await nodes.Http[2].PutKeyAsync(key, $"{value} {key}", query: query);
            Assert.True(put.StatusCode == HttpStatusCode.NoContent, $"PUT {key} ({value}) answered {(int)put.StatusCode}: {await put.TextAsync()}");
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Shared read: the running node keeps its files open for writing.
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var destination = File.Create(target);
            source.CopyTo(destination);
        }
    }
}
