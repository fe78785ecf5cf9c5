import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runGit } from "../../adapters/git/run-git.js";
import { GIT_AUTHORS } from "./personas.js";

/** The sample repository on the built-in GitHub. */
export const SAMPLE_GITHUB_REPO = "acme/storefront";
/** Its default branch, which fixes are based on. */
export const SAMPLE_BASE_BRANCH = "main";

/** The template: the sample project's files as they are in Patchboard's sources. */
export const SAMPLE_PROJECT_DIR = fileURLToPath(new URL("../sample-project/", import.meta.url));

interface HistoryCommit {
  author: keyof typeof GIT_AUTHORS;
  daysAgo: number;
  message: string;
  files: string[];
}

/**
 * A believable history for the sample repository, oldest first. Files the list forgets
 * are added by the last commit, so a new template file is never left out.
 */
const HISTORY: HistoryCommit[] = [
  {
    author: "eve",
    daysAgo: 60,
    message: "Initial storefront library: money formatting and cart",
    files: [
      ".gitignore",
      "package.json",
      "README.md",
      "src/money.js",
      "src/cart.js",
      "test/money.test.js",
      "test/cart.test.js",
    ],
  },
  {
    author: "raj",
    daysAgo: 47,
    message: "Add coupons, sales tax and order totals",
    files: [
      "src/discounts.js",
      "src/tax.js",
      "src/checkout.js",
      "test/discounts.test.js",
      "test/checkout.test.js",
    ],
  },
  {
    author: "lena",
    daysAgo: 38,
    message: "Shipping rates and the free-shipping threshold",
    files: ["src/shipping.js", "test/shipping.test.js"],
  },
  {
    author: "raj",
    daysAgo: 26,
    message: "Delivery estimates in business days",
    files: ["src/delivery.js", "test/delivery.test.js"],
  },
  {
    author: "lena",
    daysAgo: 17,
    message: "Product slugs for readable URLs",
    files: ["src/slug.js", "test/slug.test.js"],
  },
  {
    author: "eve",
    daysAgo: 9,
    message: "Offer Apple Pay and Google Pay from PayFlow capabilities",
    files: ["src/payments.js", "test/payments.test.js", "src/index.js"],
  },
];

// The user's global git config (signing, hooks, templates) must not affect the sample.
const ISOLATED = [
  "-c",
  "commit.gpgsign=false",
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "init.templateDir=",
];

/**
 * Creates the sample repository as a bare git remote at `remotePath`: the template is
 * committed as a short history by the sample team and pushed to `main`. The bare
 * repository is what the sandbox's repository config clones from and pushes to.
 */
export async function createSampleRemote(remotePath: string, now = Date.now()): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), "patchboard-sample-"));
  try {
    await cp(SAMPLE_PROJECT_DIR, work, { recursive: true });
    await runGit([...ISOLATED, "init", "--quiet", "--initial-branch", SAMPLE_BASE_BRANCH], {
      cwd: work,
    });
    for (const [index, commit] of HISTORY.entries()) {
      const last = index === HISTORY.length - 1;
      await runGit(["add", "--", ...commit.files], { cwd: work });
      if (last) await runGit(["add", "--all"], { cwd: work });
      const who = GIT_AUTHORS[commit.author];
      const date = new Date(now - commit.daysAgo * 86_400_000).toISOString();
      await runGit([...ISOLATED, "commit", "--quiet", "--message", commit.message], {
        cwd: work,
        env: {
          GIT_AUTHOR_NAME: who.name,
          GIT_AUTHOR_EMAIL: who.email,
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_NAME: who.name,
          GIT_COMMITTER_EMAIL: who.email,
          GIT_COMMITTER_DATE: date,
        },
      });
    }
    await rm(remotePath, { recursive: true, force: true });
    await runGit(
      [
        ...ISOLATED,
        "init",
        "--quiet",
        "--bare",
        "--initial-branch",
        SAMPLE_BASE_BRANCH,
        remotePath,
      ],
      {},
    );
    await runGit(["push", "--quiet", remotePath, `${SAMPLE_BASE_BRANCH}:${SAMPLE_BASE_BRANCH}`], {
      cwd: work,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
