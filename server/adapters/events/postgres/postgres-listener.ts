import pg from "pg";
import type { Logger } from "pino";

/** Options of {@link PostgresListener}. */
export interface PostgresListenerOptions {
  /** DATABASE_URL. */
  url: string;
  /** The channels to LISTEN on; each has one handler. */
  channels: Record<string, (payload: string) => void>;
  logger: Logger;
  /** First and longest wait before reconnecting (defaults 100 ms and 5 s). */
  retryMs?: { first: number; max: number };
}

/** How long a connection may stay silent before TCP keep-alive probes it. */
const KEEP_ALIVE_DELAY_MS = 10_000;

/**
 * The process's one LISTEN connection: a dedicated client (LISTEN needs a session of its
 * own, never a pooled one), which reconnects with backoff when it is lost. Notifications
 * sent while it was away are lost with it, so whoever depends on them registers a
 * catch-up with {@link onListening}: it runs after every (re)connection.
 */
export class PostgresListener {
  readonly #options: PostgresListenerOptions;
  readonly #catchUps = new Set<() => void>();
  #client: pg.Client | null = null;
  #listening = false;
  #backendPid: number | null = null;
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #nextDelayMs: number;
  /** Changes on every (re)connection; lets a reader tell that it missed nothing. */
  #epoch = 0;

  constructor(options: PostgresListenerOptions) {
    this.#options = options;
    this.#nextDelayMs = options.retryMs?.first ?? 100;
  }

  /** Connects and listens; resolves once listening, or once the first attempt failed (it retries). */
  async start(): Promise<void> {
    await this.#connect();
  }

  /** Whether notifications are arriving now (false while reconnecting). */
  get listening(): boolean {
    return this.#listening;
  }

  /** A number that changes whenever the connection was lost or re-established. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Runs `catchUp` after every (re)connection; returns the function that stops that. */
  onListening(catchUp: () => void): () => void {
    this.#catchUps.add(catchUp);
    return () => this.#catchUps.delete(catchUp);
  }

  /** The server-side process id of the LISTEN session (for tests that cut it). */
  get backendPid(): number | null {
    return this.#listening ? this.#backendPid : null;
  }

  /** Stops listening for good. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = null;
    this.#listening = false;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const { logger } = this.#options;
    const client = new pg.Client({
      connectionString: this.#options.url,
      application_name: "patchboard-listen",
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEP_ALIVE_DELAY_MS,
    });
    this.#client = client;
    client.on("notification", (message) => {
      const handler = this.#options.channels[message.channel];
      if (handler !== undefined) handler(message.payload ?? "");
    });
    const lost = (error?: Error): void => this.#lost(client, error);
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      const session = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
      this.#backendPid = session.rows[0]?.pid ?? null;
      for (const channel of Object.keys(this.#options.channels)) {
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      }
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.#client !== client) return;
    this.#listening = true;
    this.#epoch += 1;
    this.#nextDelayMs = this.#options.retryMs?.first ?? 100;
    logger.debug("listening for notifications");
    for (const catchUp of this.#catchUps) catchUp();
  }

  #lost(client: pg.Client, error?: Error): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = null;
    this.#listening = false;
    this.#epoch += 1;
    void client.end().catch(() => undefined);
    const delay = this.#nextDelayMs;
    this.#nextDelayMs = Math.min(delay * 2, this.#options.retryMs?.max ?? 5_000);
    this.#options.logger.warn(
      { err: error, retryInMs: delay },
      "notification connection lost; reconnecting",
    );
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }
}
