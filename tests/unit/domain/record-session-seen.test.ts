import {
  LAST_SEEN_INTERVAL_MS,
  recordSessionSeen,
} from "../../../server/domain/sessions/record-session-seen.js";
import { InMemorySessionStore } from "../../support/in-memory-session-store.js";

const SIGNED_IN = "2030-01-01T10:00:00.000Z";
const at = (ms: number) => new Date(Date.parse(SIGNED_IN) + ms);

async function storeWith(lastSeenAt: string | null) {
  const sessions = new InMemorySessionStore();
  await sessions.create({
    idHash: "h",
    user: { email: "pat@acme.test", name: "Pat", role: "pm" },
    groups: null,
    createdAt: SIGNED_IN,
    expiresAt: "2999-01-01T00:00:00.000Z",
    lastSeenAt,
  });
  return sessions;
}

const seenIn = async (sessions: InMemorySessionStore) => (await sessions.get("h"))?.lastSeenAt;

describe("recording when a session was last seen", () => {
  it("writes nothing within a minute of the stored time, and writes at the minute", async () => {
    const sessions = await storeWith(SIGNED_IN);
    const session = { idHash: "h", lastSeenAt: SIGNED_IN };
    expect(await recordSessionSeen({ sessions }, session, at(LAST_SEEN_INTERVAL_MS - 1))).toBe(
      false,
    );
    expect(await seenIn(sessions)).toBe(SIGNED_IN);
    expect(await recordSessionSeen({ sessions }, session, at(LAST_SEEN_INTERVAL_MS))).toBe(true);
    expect(await seenIn(sessions)).toBe("2030-01-01T10:01:00.000Z");
  });

  it("writes the first sighting of a session stored without one", async () => {
    const sessions = await storeWith(null);
    expect(await recordSessionSeen({ sessions }, { idHash: "h", lastSeenAt: null }, at(5))).toBe(
      true,
    );
    expect(await seenIn(sessions)).toBe("2030-01-01T10:00:00.005Z");
  });
});
