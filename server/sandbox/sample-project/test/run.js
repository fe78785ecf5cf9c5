// Runs the test files in this one process: all of test/*.test.js, or the files given
// (`npm test -- test/cart.test.js`). Unlike `node --test`, it starts no child process
// per file, which locked-down CI runners and agent sandboxes do not always allow.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const requested = process.argv.slice(2);
const files =
  requested.length > 0
    ? requested.map((file) => path.resolve(file))
    : readdirSync(here)
        .filter((name) => name.endsWith(".test.js"))
        .sort()
        .map((name) => path.join(here, name));

for (const file of files) await import(pathToFileURL(file).href);
