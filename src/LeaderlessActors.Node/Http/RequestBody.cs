namespace LeaderlessActors.Node.Http;

/// <summary>Reads a PUT's raw body as the value, refusing one larger than <c>leaderless.max-value-bytes</c> without
/// buffering it (Kestrel's body limit is set to the same bound).</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > maxBytes) throw TooLarge($"{declared} bytes", maxBytes);
        try
        {
            using var buffer = new MemoryStream((int)(request.ContentLength ?? 0));
            await request.Body.CopyToAsync(buffer, cancellationToken);
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
