import { UserSchema } from "../../../shared/user.js";
import { AppError } from "../../domain/app-error.js";
import type { Session, SessionStore } from "../../domain/ports/session-store.js";
import type { Database } from "./database.js";
import { nowIso, toIsoUtc } from "./timestamps.js";

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
            user: JSON.stringify(UserSchema.parse(session.user)),
            created_at: toIsoUtc(session.createdAt),
            expires_at: toIsoUtc(session.expiresAt),
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
      if (row === undefined) return null;
      const user: unknown = typeof row.user === "string" ? JSON.parse(row.user) : row.user;
      return {
        idHash: row.id_hash,
        user: UserSchema.parse(user),
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
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
