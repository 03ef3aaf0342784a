namespace LeaderlessActors.Node.Http;

/// <summary>
/// Reads a PUT's raw body as the value, refusing one larger than <c>leaderless.max-value-bytes</c> once it has read one
/// byte past the bound. Kestrel's own body limit sits a margin above that bound (<see cref="KestrelLimit"/>), so a
/// slightly oversized body is drained and the client's connection stays usable, and a huge one is cut off.
/// </summary>
internal static class RequestBody
{
    public static long KestrelLimit(int maxValueBytes) => maxValueBytes + 1024L * 1024;

    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > maxBytes) throw TooLarge($"{declared} bytes", maxBytes);
        try
        {
            using var buffer = new MemoryStream((int)(request.ContentLength ?? 0));
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw TooLarge($"more than {maxBytes} bytes", maxBytes);
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge($"more than {maxBytes} bytes", maxBytes);
        }
    }

    private static InvalidRequestException TooLarge(string size, int maxBytes) =>
        new(InvalidRequestReason.ValueTooLarge, $"The value is {size}; leaderless.max-value-bytes is {maxBytes}.");
}
