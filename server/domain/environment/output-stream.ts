/** Flush at least this often while output keeps coming. */
const FLUSH_INTERVAL_MS = 500;
/** Flush as soon as this much is buffered; no event carries more. */
const MAX_CHUNK_CHARS = 8 * 1024;
/** Past this much output of one command, the rest is only counted (the tail is in the result). */
const MAX_TOTAL_CHARS = 512 * 1024;

/**
 * Turns a command's output into a few events per second of a few kilobytes each instead
 * of one event per write: a chatty `npm ci` must not write thousands of rows. Past a cap
 * the rest is dropped with one notice (the command's result keeps its tail). `sink` is
 * called one at a time, in order.
 */
export class OutputStream {
  readonly #sink: (text: string) => Promise<void>;
  #buffer = "";
  #total = 0;
  #truncated = false;
  #timer: NodeJS.Timeout | null = null;
  #chain: Promise<void> = Promise.resolve();

  constructor(sink: (text: string) => Promise<void>) {
    this.#sink = sink;
  }

  /** Takes a chunk of output as it arrives. */
  write(chunk: string): void {
    if (this.#truncated) return;
    const room = MAX_TOTAL_CHARS - this.#total;
    if (chunk.length > room) {
      this.#buffer += chunk.slice(0, room);
      this.#buffer += "\n[… output truncated here; the end of it is in the result …]\n";
      this.#truncated = true;
      this.#total = MAX_TOTAL_CHARS;
      this.#flush();
      return;
    }
    this.#buffer += chunk;
    this.#total += chunk.length;
    // Full chunks go at once; the rest waits for more output or the timer.
    if (this.#buffer.length >= MAX_CHUNK_CHARS) this.#send(false);
    if (this.#buffer.length > 0) this.#timer ??= setTimeout(() => this.#flush(), FLUSH_INTERVAL_MS);
  }

  /** Sends what is buffered and resolves once every chunk was handed to the sink. */
  async close(): Promise<void> {
    this.#flush();
    await this.#chain;
  }

  #flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#send(true);
  }

  /** Hands buffered output to the sink in chunks; a partial last chunk only when `all`. */
  #send(all: boolean): void {
    while (this.#buffer.length >= (all ? 1 : MAX_CHUNK_CHARS)) {
      const text = this.#buffer.slice(0, MAX_CHUNK_CHARS);
      this.#buffer = this.#buffer.slice(MAX_CHUNK_CHARS);
      // A failed write (store down) must not stop the command; the result still has the tail.
      this.#chain = this.#chain.then(() => this.#sink(text)).catch(() => undefined);
    }
  }
}
