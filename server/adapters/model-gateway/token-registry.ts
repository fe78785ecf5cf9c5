import { createHash, randomBytes } from "node:crypto";

/** A token handed to one Codex process, and how to take it back. */
export interface GatewayGrant {
  token: string;
  /** Revokes the token: the gateway refuses it from now on. Safe to call twice. */
  revoke(): void;
}

const digest = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * The gateway's tokens: random, each bound to one task (or review run). Only digests are
 * kept, so a heap dump of the server holds no usable token.
 */
export class TokenRegistry {
  readonly #owners = new Map<string, string>();

  /** A new token for this owner. */
  grant(ownerId: string): GatewayGrant {
    const token = `pbgw_${randomBytes(32).toString("base64url")}`;
    const key = digest(token);
    this.#owners.set(key, ownerId);
    return { token, revoke: () => this.#owners.delete(key) };
  }

  /** The owner of a live token, or null for an unknown or revoked one. */
  ownerOf(token: string): string | null {
    return this.#owners.get(digest(token)) ?? null;
  }

  /** Revokes every token of an owner (its task ended). */
  revokeOwner(ownerId: string): void {
    for (const [key, owner] of this.#owners) if (owner === ownerId) this.#owners.delete(key);
  }

  /** How many tokens are live. */
  get size(): number {
    return this.#owners.size;
  }
}
