import { z } from "zod";
import { UserSchema } from "../../../shared/user.js";
import { AppError } from "../../domain/app-error.js";
import type { Session, SessionStore } from "../../domain/ports/session-store.js";
import type { Database } from "./database.js";
import { nowIso, toIsoUtc, toIsoUtcOrNull } from "./timestamps.js";

/**
 * A SessionStore over a {@link Database}. Expiry is checked on read as well as swept by
 * deleteExpired, so an expired session never authenticates even before the sweep.
 */
export function createSessionStore(db: Database): SessionStore {
  const { kysely, dialect } = db;
  return {
    async create(session: Session) {
      try {
        await kysely
          .insertInto("sessions")
          .values({
            id_hash: session.idHash,
            // The groups ride along in the user JSON: no column (and no migration) needed.
            user: JSON.stringify({
              ...UserSchema.parse(session.user),
              groups: session.groups ?? null,
            }),
            created_at: toIsoUtc(session.createdAt),
            expires_at: toIsoUtc(session.expiresAt),
            last_seen_at: toIsoUtcOrNull(session.lastSeenAt),
          })
          .execute();
      } catch (error) {
        if (!dialect.isUniqueViolation(error)) throw error;
        throw new AppError("conflict", "Session already exists", { cause: error });
      }
    },

    async get(idHash) {
      const row = await kysely
        .selectFrom("sessions")
        .selectAll()
        .where("id_hash", "=", idHash)
        .where("expires_at", ">", nowIso())
        .executeTakeFirst();
      return row === undefined ? null : toSession(row);
    },

    async recordSeen(idHash, at) {
      const seen = toIsoUtc(at);
      await kysely
        .updateTable("sessions")
        .set({ last_seen_at: seen })
        .where("id_hash", "=", idHash)
        .where((eb) => eb.or([eb("last_seen_at", "is", null), eb("last_seen_at", "<", seen)]))
        .execute();
    },

    async list() {
      const rows = await kysely
        .selectFrom("sessions")
        .selectAll()
        .where("expires_at", ">", nowIso())
        .orderBy("created_at", "desc")
        .execute();
      return rows.map(toSession);
    },

    async delete(idHash) {
      await kysely.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
    },

    async deleteExpired(now) {
      const result = await kysely
        .deleteFrom("sessions")
        .where("expires_at", "<=", toIsoUtc(now))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

const StoredGroupsSchema = z.object({ groups: z.array(z.string()).nullable().optional() });

function toSession(row: {
  id_hash: string;
  user: unknown;
  created_at: string;
  expires_at: string;
  last_seen_at: string | null;
}): Session {
  const user: unknown = typeof row.user === "string" ? JSON.parse(row.user) : row.user;
  return {
    idHash: row.id_hash,
    user: UserSchema.parse(user),
    // Sessions stored before groups were kept have none: the mapping sees no groups.
    groups: StoredGroupsSchema.parse(user).groups ?? null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  };
}
