import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import type { SandboxCommand, SandboxResult } from "../../domain/ports/command-sandbox.js";

/** How much of the interleaved output a result keeps. */
export const OUTPUT_TAIL_BYTES = 64 * 1024;

/** One process to start for a sandboxed command: the program and what it is given. */
export interface ProcessLaunch {
  file: string;
  args: readonly string[];
  /** The process's whole environment. */
  env: Record<string, string>;
  cwd: string;
}

/** Keeps the last `limit` characters of a stream of chunks without copying on every chunk. */
class Tail {
  private chunks: string[] = [];
  private length = 0;

  constructor(private readonly limit: number) {}

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.chunks.length > 1 && this.length - this.chunks[0]!.length >= this.limit) {
      this.length -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    const all = this.chunks.join("");
    return all.length > this.limit ? all.slice(all.length - this.limit) : all;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // Negative pid: the whole process group the command leads (spawned detached).
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/**
 * Runs one process in its own process group and reports how it ended. The group is
 * killed on timeout, on abort, and once the leader exits (nothing the command started
 * may outlive it). Shared by both sandboxes: they differ only in what they launch.
 */
export function runProcess(launch: ProcessLaunch, command: SandboxCommand): Promise<SandboxResult> {
  const started = performance.now();
  const tail = new Tail(OUTPUT_TAIL_BYTES);
  if (command.signal?.aborted) {
    return Promise.resolve({
      exitCode: null,
      timedOut: false,
      aborted: true,
      outputTail: "",
      durationMs: 0,
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(launch.file, [...launch.args], {
      cwd: launch.cwd,
      env: launch.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    let aborted = false;
    let exitCode: number | null = null;
    const onChunk = (stream: "stdout" | "stderr", decoder: StringDecoder) => (data: Buffer) => {
      const text = decoder.write(data);
      if (text === "") return;
      tail.push(text);
      command.onOutput?.(text, stream);
    };
    const outDecoder = new StringDecoder("utf8");
    const errDecoder = new StringDecoder("utf8");
    child.stdout.on("data", onChunk("stdout", outDecoder));
    child.stderr.on("data", onChunk("stderr", errDecoder));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, command.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup(child.pid);
    };
    command.signal?.addEventListener("abort", onAbort, { once: true });
    child.once("error", (error) => {
      clearTimeout(timer);
      command.signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    child.once("exit", (code) => {
      exitCode = code;
      // Background children still holding the pipes would otherwise keep `close` away.
      killGroup(child.pid);
    });
    child.once("close", () => {
      clearTimeout(timer);
      command.signal?.removeEventListener("abort", onAbort);
      for (const [stream, decoder] of [
        ["stdout", outDecoder],
        ["stderr", errDecoder],
      ] as const) {
        const rest = decoder.end();
        if (rest !== "") {
          tail.push(rest);
          command.onOutput?.(rest, stream);
        }
      }
      resolve({
        exitCode: timedOut || aborted ? null : exitCode,
        timedOut,
        aborted,
        outputTail: tail.text(),
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}
