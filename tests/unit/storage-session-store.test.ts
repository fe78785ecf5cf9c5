import pino from "pino";
import type { SessionStore } from "../../server/domain/ports/session-store.js";
import { createSessionStore, openSqliteDatabase } from "../../server/adapters/storage/index.js";
import type { Database } from "../../server/adapters/storage/index.js";
import { InMemorySessionStore } from "../support/in-memory-session-store.js";
import { openTestPostgres } from "../support/postgres-database.js";

const user = { email: "pm@example.com", name: "Pat", role: "pm" } as const;
const HOUR = 3_600_000;

function session(idHash: string, expiresInMs: number) {
  const now = Date.now();
  return {
    idHash,
    user,
    groups: ["grp-pm", "grp-x"] as string[] | null,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + expiresInMs).toISOString(),
    lastSeenAt: new Date(now).toISOString() as string | null,
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
      return { store: createSessionStore(db), close: () => db.close() };
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const db = await openTestPostgres();
      return { store: createSessionStore(db), close: () => db.close() };
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

  it("lists live sessions newest first, keeping their groups (null for a dev sign-in)", async () => {
    const older = {
      ...session("older", HOUR),
      createdAt: new Date(Date.now() - 60_000).toISOString(),
    };
    const dev = { ...session("dev", HOUR), groups: null };
    await subject.store.create(older);
    await subject.store.create(dev);
    await subject.store.create(session("gone", -1));
    const listed = await subject.store.list();
    expect(listed.map((l) => [l.idHash, l.groups])).toEqual([
      ["dev", null],
      ["older", ["grp-pm", "grp-x"]],
    ]);
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

  it("records when a session was last seen, and never moves that time backwards", async () => {
    const s = session("seen", HOUR);
    await subject.store.create(s);
    const later = new Date(Date.parse(s.createdAt) + 120_000);
    await subject.store.recordSeen("seen", later);
    expect((await subject.store.get("seen"))?.lastSeenAt).toBe(later.toISOString());
    // Another node's slower write of an earlier sighting lands after: it is ignored.
    await subject.store.recordSeen("seen", new Date(later.getTime() - 60_000));
    expect((await subject.store.list()).map((l) => [l.idHash, l.lastSeenAt])).toEqual([
      ["seen", later.toISOString()],
    ]);
    // An unknown (revoked) session is not brought back.
    await subject.store.recordSeen("revoked", later);
    expect(await subject.store.get("revoked")).toBeNull();
  });

  it("keeps a session stored without a last-seen time as null until it is seen", async () => {
    await subject.store.create({ ...session("unseen", HOUR), lastSeenAt: null });
    expect((await subject.store.get("unseen"))?.lastSeenAt).toBeNull();
    const at = new Date("2030-05-06T07:08:09.010Z");
    await subject.store.recordSeen("unseen", at);
    expect((await subject.store.get("unseen"))?.lastSeenAt).toBe("2030-05-06T07:08:09.010Z");
  });

  it("normalizes times to UTC and rejects a duplicate id", async () => {
    const s = { ...session("tz", HOUR), expiresAt: "2999-01-01T02:00:00+02:00" };
    await subject.store.create(s);
    expect((await subject.store.get("tz"))?.expiresAt).toBe("2999-01-01T00:00:00.000Z");
    await expect(subject.store.create(s)).rejects.toMatchObject({ code: "conflict" });
  });
});
