import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { SUM_PROJECT } from "../../tests/support/pipeline-fixtures.js";
import { CACHE_DIR } from "./paths.js";

/** The shape of the generated repository. */
export interface BigRepoShape {
  files: number;
  commits: number;
}

/** The default: what the issue asks for. */
export const BIG_REPO: BigRepoShape = { files: 20_000, commits: 300 };

const IDENT = "Bench <bench@example.test> 1700000000 +0000";

/**
 * A bare repository with `files` source files (plus the sum() project the scripted fix
 * works on) and `commits` commits, made with `git fast-import` in a few seconds and kept
 * in bench/.cache between runs. Generated files are `.ts` under `pkg/`, so neither
 * `node --test` nor the fix script ever reads them; they only weigh on git.
 */
export async function ensureBigRepo(shape: BigRepoShape = BIG_REPO): Promise<string> {
  const bare = path.join(CACHE_DIR, `repo-${shape.files}-${shape.commits}.git`);
  const done = path.join(bare, "bench-complete");
  if (existsSync(done)) return bare;
  await rm(bare, { recursive: true, force: true });
  await mkdir(bare, { recursive: true });
  await git(["init", "--bare", "--quiet", "--initial-branch=main", bare]);
  await git(["fast-import", "--quiet"], bare, fastImportStream(shape));
  await git(["gc", "--quiet", "--aggressive", "--prune=now"], bare);
  await writeFile(done, new Date().toISOString());
  return bare;
}

function fileName(i: number): string {
  return `pkg/m${String(Math.floor(i / 200)).padStart(3, "0")}/f${String(i).padStart(5, "0")}.ts`;
}

function fileBody(i: number, version: number): string {
  return `// generated module ${i}, version ${version}\nexport const value${i} = ${i * 7 + version};\n${"// padding line\n".repeat(i % 20)}`;
}

/** The fast-import commands: one big initial commit, then small ones touching a few files. */
function* fastImportStream(shape: BigRepoShape): Generator<string> {
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (n: number, message: string) =>
    `commit refs/heads/main\nmark :${n}\ncommitter ${IDENT}\n${data(message)}${n > 1 ? `from :${n - 1}\n` : ""}`;
  let out = commit(1, "initial import");
  for (const [name, content] of Object.entries(SUM_PROJECT)) {
    out += `M 100644 inline ${name}\n${data(content)}`;
  }
  yield out;
  for (let i = 0; i < shape.files; i++) {
    yield `M 100644 inline ${fileName(i)}\n${data(fileBody(i, 0))}`;
  }
  for (let n = 2; n <= shape.commits; n++) {
    let chunk = commit(n, `change ${n}`);
    for (let k = 0; k < 5; k++) {
      const i = (n * 7919 + k * 104_729) % shape.files;
      chunk += `M 100644 inline ${fileName(i)}\n${data(fileBody(i, n))}`;
    }
    yield chunk;
  }
  yield "done\n";
}

/** Runs git, optionally feeding it a stream of text on stdin. */
function git(args: string[], cwd?: string, input?: Iterable<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", input ? [...args] : args, {
      cwd,
      stdio: [input ? "pipe" : "ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`git ${args[0]} failed: ${stderr}`)),
    );
    if (input && child.stdin) {
      const stdin = child.stdin;
      const iterator = input[Symbol.iterator]();
      const pump = (): void => {
        for (;;) {
          const next = iterator.next();
          if (next.done) {
            stdin.end();
            return;
          }
          if (!stdin.write(next.value)) {
            stdin.once("drain", pump);
            return;
          }
        }
      };
      pump();
    }
  });
}

/** A bare copy of the cached repository for one run (objects hard-linked), so pushes never touch the cache. */
export async function cloneForRun(cached: string, target: string): Promise<string> {
  await rm(target, { recursive: true, force: true });
  await git(["clone", "--bare", "--quiet", "--local", cached, target]);
  return target;
}
