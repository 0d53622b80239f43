/** Read an SSE response, calling `onData` with each `data:` payload of `event: trace` until it returns true. */
export async function readSse(res: Response, onData: (data: string) => boolean) {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let i = buffer.indexOf("\n\n");
    while (i !== -1) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (block.includes("event: trace")) {
        const data = block
          .split("\n")
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n");
        if (onData(data)) return;
      }
      i = buffer.indexOf("\n\n");
    }
  }
}
