import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TaskSummary } from "../../shared/task.js";
import type { TaskStatsQuery } from "../../server/domain/ports/task-stats.js";
import { csvCell } from "../../server/http/routes/history-routes.js";
import { TOKENS, appHarness } from "../support/app-harness.js";
import { makeTask } from "../support/web-fixtures.js";

describe("CSV cells", () => {
  it("quotes ; , quotes and newlines, and defuses formulas", () => {
    expect(csvCell("a;b")).toBe('"a;b"');
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("=HYPERLINK(1;2)")).toBe(`"'=HYPERLINK(1;2)"`);
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
  });
});

describe("GET /api/tasks/export.csv under a slow or vanished reader", () => {
  it("pulls rows only as fast as the socket drains, and stops when the reader goes away", async () => {
    const total = 200_000;
    let pulled = 0;
    let closed!: () => void;
    const cursorClosed = new Promise<void>((resolve) => (closed = resolve));
    const row = { ...makeTask(), title: "A title; with a semicolon" } as unknown as TaskSummary;
    const stats: TaskStatsQuery = {
      taskStats: () => Promise.reject(new Error("not used")),
      // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in for a DB cursor
      async *exportRows() {
        try {
          for (let i = 0; i < total; i++) {
            pulled++;
            yield row;
          }
        } finally {
          closed();
        }
      },
    };
    const h = await appHarness({ stats });
    const server = http.createServer(h.app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = http.get(
          {
            port,
            host: "127.0.0.1",
            path: "/api/tasks/export.csv",
            headers: { Authorization: `Bearer ${TOKENS.admin}` },
          },
          (res) => {
            expect(res.statusCode).toBe(200);
            // Read one chunk, then hang up.
            res.once("data", () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
      });
      await cursorClosed;
      // Socket buffers hold a few MB; without backpressure every row would be pulled at once.
      expect(pulled).toBeLessThan(total / 2);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await h.close();
    }
  });
});
