import path from "node:path";

/** How to reach a repository's remote: the URL git is given and the env that authenticates it. */
export interface RemoteAccess {
  /** An https URL, a `file://` URL, or an absolute local path. */
  url: string;
  /** Environment for git: auth config passed through GIT_CONFIG_* so it never shows in argv. */
  env: Record<string, string>;
  /** Values to scrub from anything git prints. */
  secrets: string[];
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE = /^[^/\\:]+@[^/\\:]+:/;

/**
 * Resolves a configured clone URL. Local paths are made absolute because git runs
 * with other working directories (the mirror, a worktree).
 */
export function normalizeCloneUrl(cloneUrl: string): string {
  if (URL_SCHEME.test(cloneUrl) || SCP_LIKE.test(cloneUrl)) return cloneUrl;
  return path.resolve(cloneUrl);
}

/**
 * The remote access for a clone URL. Only https URLs get the token, as an
 * `Authorization: Basic` extra header: that is what GitHub accepts for installation
 * and personal tokens, and it keeps the token out of the URL, the mirror's config and argv.
 */
export function remoteAccess(cloneUrl: string, token: string | null | undefined): RemoteAccess {
  const url = normalizeCloneUrl(cloneUrl);
  if (!token || !/^https:\/\//i.test(url)) return { url, env: {}, secrets: token ? [token] : [] };
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    url,
    env: {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    },
    secrets: [token, basic],
  };
}
