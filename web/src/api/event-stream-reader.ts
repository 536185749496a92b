/**
 * Reads server-sent events from a fetch() body (EventSource cannot send an
 * Authorization header). Yields the data of each message event; comments,
 * other fields and named events (such as the log stream's `event: dropped`
 * notice) are skipped.
 */
export async function* readEventData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.search(/\r\n|\n|\r/);
      while (newline >= 0) {
        // A lone '\r' at the end may be the first half of '\r\n': wait for the next chunk.
        if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
        const line = buffer.slice(0, newline);
        const width = buffer.startsWith('\r\n', newline) ? 2 : 1;
        buffer = buffer.slice(newline + width);
        if (line === '') {
          if (data.length > 0 && (event === '' || event === 'message')) yield data.join('\n');
          data = [];
          event = '';
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        } else if (line.startsWith('event:')) {
          event = line.slice(line.startsWith('event: ') ? 7 : 6);
        }
        newline = buffer.search(/\r\n|\n|\r/);
      }
    }
  } finally {
    reader.releaseLock();
  }
}
