import pino from "pino";
import type { SessionStore } from "../../server/domain/ports/session-store.js";
import {
  createSqliteSessionStore,
  openSqliteDatabase,
} from "../../server/adapters/storage/index.js";
import type { Database } from "../../server/adapters/storage/index.js";
import { InMemorySessionStore } from "../support/in-memory-session-store.js";

const user = { email: "pm@example.com", name: "Pat", role: "pm" } as const;
const HOUR = 3_600_000;

function session(idHash: string, expiresInMs: number) {
  const now = Date.now();
  return {
    idHash,
    user,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + expiresInMs).toISOString(),
  };
}

interface Subject {
  store: SessionStore;
  close(): Promise<void>;
}

const subjects: Array<[string, () => Promise<Subject>]> = [
  [
    "in-memory fake",
    () => Promise.resolve({ store: new InMemorySessionStore(), close: () => Promise.resolve() }),
  ],
  [
    "SQLite :memory:",
    async () => {
      const db: Database = await openSqliteDatabase({
        file: ":memory:",
        logger: pino({ level: "silent" }),
      });
      return { store: createSqliteSessionStore(db), close: () => db.close() };
    },
  ],
];

describe.each(subjects)("SessionStore contract: %s", (_name, factory) => {
  let subject: Subject;
  beforeEach(async () => {
    subject = await factory();
  });
  afterEach(() => subject.close());

  it("stores, reads and deletes a session", async () => {
    const s = session("a".repeat(64), HOUR);
    await subject.store.create(s);
    expect(await subject.store.get(s.idHash)).toEqual(s);
    await subject.store.delete(s.idHash);
    expect(await subject.store.get(s.idHash)).toBeNull();
    await subject.store.delete(s.idHash);
  });

  it("returns null for unknown and expired sessions, before any sweep", async () => {
    await subject.store.create(session("expired", -1000));
    expect(await subject.store.get("expired")).toBeNull();
    expect(await subject.store.get("unknown")).toBeNull();
  });

  it("sweeps only expired sessions and counts them", async () => {
    await subject.store.create(session("old-1", -HOUR));
    await subject.store.create(session("old-2", -1));
    await subject.store.create(session("live", HOUR));
    expect(await subject.store.deleteExpired(new Date())).toBe(2);
    expect(await subject.store.deleteExpired(new Date())).toBe(0);
    expect(await subject.store.get("live")).not.toBeNull();
    // Sweeping "as of" later removes the live one too.
    expect(await subject.store.deleteExpired(new Date(Date.now() + 2 * HOUR))).toBe(1);
  });

  it("normalizes times to UTC and rejects a duplicate id", async () => {
    const s = { ...session("tz", HOUR), expiresAt: "2999-01-01T02:00:00+02:00" };
    await subject.store.create(s);
    expect((await subject.store.get("tz"))?.expiresAt).toBe("2999-01-01T00:00:00.000Z");
    await expect(subject.store.create(s)).rejects.toMatchObject({ code: "conflict" });
  });
});
