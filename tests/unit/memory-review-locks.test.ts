import { createMemoryReviewLocks } from "../../server/adapters/limits/memory-review-locks.js";

describe("in-process review locks (SQLite)", () => {
  it("holds a pull request for one run until it releases, and only its own", async () => {
    const locks = createMemoryReviewLocks();
    const first = await locks.forRun();
    const second = await locks.forRun();
    expect(await first.tryLock("acme/calc", 1)).toBe(true);
    expect(await first.tryLock("acme/calc", 1)).toBe(true);
    expect(await second.tryLock("acme/calc", 1)).toBe(false);
    expect(await second.tryLock("acme/calc", 2)).toBe(true);
    expect(await second.tryLock("acme/other", 1)).toBe(true);

    await second.release();
    expect(await first.tryLock("acme/calc", 2)).toBe(true);
    await first.release();
    await first.release();
    const third = await locks.forRun();
    expect(await third.tryLock("acme/calc", 1)).toBe(true);
  });
});
