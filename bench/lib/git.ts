import { execFile } from "node:child_process";

/** Runs git in `cwd` and returns its stdout; rejects with its stderr. */
export function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args[0]} failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}
