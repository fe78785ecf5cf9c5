import type { ClientErrorCode } from "../api/api-error.js";

/** What an error means and what to do about it, in plain words. */
export interface ErrorAdvice {
  title: string;
  advice: string;
  /** Whether running the task again is the likely fix. */
  retry: boolean;
}

const ADVICE: Partial<Record<ClientErrorCode, ErrorAdvice>> = {
  codex_auth: {
    title: "The agent could not sign in to OpenAI",
    advice: "An admin must set CODEX_API_KEY (or renew it) on the server, then retry.",
    retry: false,
  },
  codex_rate_limited: {
    title: "OpenAI is rate-limiting the agent",
    advice: "Wait a few minutes, then retry.",
    retry: true,
  },
  codex_timeout: {
    title: "The agent took too long",
    advice: "Retry; if it keeps timing out, narrow the ticket down or raise the time limit.",
    retry: true,
  },
  codex_unavailable: {
    title: "The agent service is unavailable",
    advice: "OpenAI could not be reached. Retry in a few minutes.",
    retry: true,
  },
  codex_failed: {
    title: "The agent stopped with an error",
    advice: "Read its last messages below, then retry or send a follow-up with more guidance.",
    retry: true,
  },
  jira_auth: {
    title: "Jira refused the server's credentials",
    advice: "An admin must check JIRA_EMAIL and JIRA_API_TOKEN on the server.",
    retry: false,
  },
  jira_unavailable: {
    title: "Jira could not be reached",
    advice: "Jira may be down or slow. Retry in a few minutes.",
    retry: true,
  },
  jira_not_found: {
    title: "The ticket was not found in Jira",
    advice: "It may have been moved or deleted. Check the ticket key.",
    retry: false,
  },
  github_auth: {
    title: "GitHub refused the server's credentials",
    advice: "An admin must check the GitHub token and its access to the repository.",
    retry: false,
  },
  github_unavailable: {
    title: "GitHub could not be reached",
    advice: "Retry in a few minutes.",
    retry: true,
  },
  github_push_failed: {
    title: "The branch could not be pushed",
    advice:
      "The GitHub token may lack write access, or branch protection refused the push. An admin should check, then retry.",
    retry: true,
  },
  git_failed: {
    title: "A git command failed on the server",
    advice:
      "The working copy may be broken. Retry; if it fails again, ask an admin to check the logs.",
    retry: true,
  },
  publish_refused: {
    title: "The change was not published",
    advice:
      "A safety check refused to push it (for example, it touched files it should not). Review the diff and follow up.",
    retry: false,
  },
  interrupted: {
    title: "The task was interrupted",
    advice: "The server restarted while it ran. Retry to start it again.",
    retry: true,
  },
  queue_failed: {
    title: "No worker could start the task",
    advice:
      "The job queue tried several times and gave up. Retry; if it fails again, an admin should read the workers' logs.",
    retry: true,
  },
  setup_failed: {
    title: "The repository's setup failed",
    advice:
      "The setup command (installing dependencies) failed before the agent started; its last output is below. Check the repository's setupCommand and setupEnv in the repositories file, or the package registry, then retry.",
    retry: true,
  },
  repo_not_configured: {
    title: "This repository is not configured",
    advice: "An admin must add it to the server's repository configuration.",
    retry: false,
  },
  rate_limited: {
    title: "Too many requests",
    advice: "Wait a moment, then try again.",
    retry: true,
  },
  internal: {
    title: "The server hit an unexpected error",
    advice: "Retry; if it happens again, ask an admin to check the server logs.",
    retry: true,
  },
  forbidden: {
    title: "You are not allowed to do this",
    advice: "Ask an admin if you need access.",
    retry: false,
  },
  network_error: {
    title: "The server could not be reached",
    advice: "Check your connection, then try again.",
    retry: true,
  },
};

/** Plain-words advice for an error code. */
export function adviceFor(code: ClientErrorCode): ErrorAdvice {
  return (
    ADVICE[code] ?? {
      title: "Something went wrong",
      advice: "Retry; if it happens again, ask an admin to check the server logs.",
      retry: true,
    }
  );
}
