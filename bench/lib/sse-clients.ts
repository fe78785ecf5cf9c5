/**
 * Many SSE clients of one task, in a process of their own (so their parsing does not
 * load the server's process). Started by spawn-sse-clients.ts (figures 4 and 10) with `<url> <taskId> <token>
 * <count>`; sends `{ready}` over IPC once every client has its response headers, and
 * `{lags, events}` once every stream has ended. A lag is the time from an event's
 * stored time (`at`) to its arrival, for events stored after all clients were connected.
 */
import http from "node:http";

const [url = "", taskId = "", token = "", countArg = "0"] = process.argv.slice(2);
const count = Number(countArg);
const lags: number[] = [];
const eventsPerClient: number[] = [];
let connected = 0;
let ended = 0;
let readyAt = Number.POSITIVE_INFINITY;
// One socket per client, like one browser per client.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function finishOne(events: number): void {
  eventsPerClient.push(events);
  ended += 1;
  if (ended === count) process.send?.({ lags, eventsPerClient });
}

for (let i = 0; i < count; i++) {
  const req = http.get(
    `${url}/api/tasks/${taskId}/events`,
    { agent, headers: { Accept: "text/event-stream", Authorization: `Bearer ${token}` } },
    (res) => {
      connected += 1;
      if (connected === count) {
        readyAt = Date.now();
        process.send?.({ ready: true });
      }
      let buffer = "";
      let events = 0;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const received = Date.now();
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data === undefined || block.includes("event: end")) continue;
          const at = Date.parse((JSON.parse(data) as { at: string }).at);
          events += 1;
          if (at >= readyAt) lags.push(received - at);
        }
      });
      res.on("end", () => finishOne(events));
      res.on("error", () => finishOne(events));
    },
  );
  req.on("error", (error) => {
    console.error(`sse client ${i}: ${error.message}`);
    finishOne(0);
  });
}
