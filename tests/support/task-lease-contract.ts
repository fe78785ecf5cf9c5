import type { TaskStore } from "../../server/domain/ports/task-store.js";
import { newFixTask } from "./task-store-contract.js";

const A = "worker-a";
const B = "worker-b";
const NOW = "2030-01-01T00:00:00.000Z";
const LATER = "2030-01-01T00:00:30.000Z";
const MUCH_LATER = "2030-01-01T00:01:00.000Z";

/**
 * The lease half of the TaskStore contract (see TaskLeaseStore), run inside
 * describeTaskStoreContract on every store. `store()` is the test's fresh store.
 */
export function describeTaskLeaseContract(store: () => TaskStore): void {
  describe("leases", () => {
    async function running(ticketKey: string, owner = A, expiresAt = LATER) {
      const { task } = await store().create(newFixTask(ticketKey));
      const claimed = await store().claim(task.id, { owner, expiresAt }, { phase: "preparing" });
      if (claimed === null) throw new Error(`could not claim ${ticketKey}`);
      return claimed;
    }

    it("claims a queued task for exactly one worker under a race, and nothing else", async () => {
      const { task } = await store().create(newFixTask("LEASE-1"));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store().claim(task.id, { owner: `w${i}`, expiresAt: LATER }, { phase: "preparing" }),
        ),
      );
      const winners = results.filter((t) => t !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]).toMatchObject({ status: "running", phase: "preparing" });
      const owners = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().heldLeases(`w${i}`, [task.id])),
      );
      expect(owners.filter((held) => held.length === 1)).toHaveLength(1);
      const cancelled = (await store().create(newFixTask("LEASE-2"))).task;
      await store().transition(cancelled.id, ["queued"], { status: "cancelled" });
      expect(
        await store().claim(cancelled.id, { owner: A, expiresAt: LATER }, { phase: "preparing" }),
      ).toBeNull();
      expect(await store().claim("nope", { owner: A, expiresAt: LATER }, {})).toBeNull();
    });

    it("claims within the limits of every worker together, and exactly up to them under a race", async () => {
      const lease = (owner: string) => ({ owner, expiresAt: LATER });
      const create = async (key: string, repo: string) =>
        (await store().create(newFixTask(key, { repo }))).task;
      const calc = await Promise.all(
        ["L-1", "L-2", "L-3", "L-4"].map((k) => create(k, "acme/calc")),
      );
      const web = await Promise.all(["W-1", "W-2"].map((k) => create(k, "acme/web")));
      const limits = { total: 3, perRepo: 2 };
      // Two workers race for each of the four calc tasks: the repository's limit lets two run.
      const raced = await Promise.all(
        calc.flatMap((task) =>
          [0, 1].map((i) => store().claim(task.id, lease(`w${i}`), { phase: "preparing" }, limits)),
        ),
      );
      expect(raced.filter((t) => t !== null)).toHaveLength(2);
      // The other repository has room of its own, until the total is reached.
      expect(await store().claim(web[0]!.id, lease(A), {}, limits)).toMatchObject({
        status: "running",
        repo: "acme/web",
      });
      expect(await store().claim(web[1]!.id, lease(A), {}, limits)).toBeNull();
      // Refused for room, a task stays queued, and runs once a place frees up.
      expect((await store().get(web[1]!.id))?.status).toBe("queued");
      const runningCalc = raced.find((t) => t !== null)!;
      await store().transition(runningCalc.id, ["running"], { status: "completed" });
      expect(await store().claim(web[1]!.id, lease(B), {}, limits)).toMatchObject({
        status: "running",
      });
      // Without limits, nothing is counted.
      const waiting = calc.find((t) => raced.every((r) => r?.id !== t.id))!;
      expect(await store().claim(waiting.id, lease(B), {})).toMatchObject({ status: "running" });
    });

    it("lets only the owner write a running task, and drops the lease when it ends", async () => {
      const task = await running("LEASE-3");
      expect(
        await store().transition(task.id, ["running"], { phase: "fixing" }, { owner: B }),
      ).toBeNull();
      expect(
        await store().transition(task.id, ["running"], { phase: "fixing" }, { owner: A }),
      ).toMatchObject({ phase: "fixing" });
      // A cancel from another node (no owner of its own) ends it; the owner's late finish loses.
      expect(await store().transition(task.id, ["running"], { status: "cancelled" })).toMatchObject(
        { status: "cancelled" },
      );
      expect(
        await store().transition(task.id, ["running"], { status: "completed" }, { owner: A }),
      ).toBeNull();
      expect(await store().heldLeases(A, [task.id])).toEqual([]);
      expect((await store().get(task.id))?.status).toBe("cancelled");
    });

    it("renews only the leases a worker still holds", async () => {
      const kept = await running("LEASE-4");
      const lost = await running("LEASE-5");
      const other = await running("LEASE-6", B);
      await store().transition(lost.id, ["running"], { status: "cancelled" });
      const held = await store().renewLeases(A, [kept.id, lost.id, other.id], MUCH_LATER);
      expect(held).toEqual([kept.id]);
      // Renewed past LATER: at LATER nobody may take it over.
      const orphans = await store().listOrphaned(B, "2030-01-01T00:00:45.000Z");
      expect(orphans.map((o) => o.task.id)).toEqual([other.id]);
      expect(await store().renewLeases(A, [], MUCH_LATER)).toEqual([]);
    });

    it("lists as orphaned only expired, unowned and its own previous tasks, oldest first", async () => {
      const live = await running("LEASE-7", B, MUCH_LATER);
      const expired = await running("LEASE-8", B, NOW);
      const mine = await running("LEASE-9", A, MUCH_LATER);
      const released = await running("LEASE-10", B, MUCH_LATER);
      expect(await store().releaseLeases(B, [released.id, mine.id])).toBe(1);
      await store().create(newFixTask("LEASE-11")); // queued: never an orphan
      const orphans = await store().listOrphaned(A, LATER);
      expect(orphans.map((o) => [o.task.id, o.owner, o.leaseExpiresAt])).toEqual([
        [expired.id, B, NOW],
        [mine.id, A, MUCH_LATER],
        [released.id, null, null],
      ]);
      expect(orphans.map((o) => o.task.id)).not.toContain(live.id);
    });

    it("hands an orphan over to exactly one worker, and never a lease renewed meanwhile", async () => {
      const task = await running("LEASE-12", B, NOW);
      const takers = ["c", "d", "e", "f"].map((owner) =>
        store().takeOver(task.id, { owner: B }, { owner, expiresAt: MUCH_LATER }, LATER),
      );
      const results = await Promise.all(takers);
      expect(results.filter((t) => t !== null)).toHaveLength(1);
      expect(results.find((t) => t !== null)).toMatchObject({ id: task.id, status: "running" });

      const renewed = await running("LEASE-13", B, NOW);
      await store().renewLeases(B, [renewed.id], MUCH_LATER);
      expect(
        await store().takeOver(
          renewed.id,
          { owner: B },
          { owner: A, expiresAt: MUCH_LATER },
          LATER,
        ),
      ).toBeNull();
      // Seen with another owner than it has now: someone took it over first.
      const moved = await running("LEASE-14", B, NOW);
      expect(
        await store().takeOver(
          moved.id,
          { owner: "z" },
          { owner: A, expiresAt: MUCH_LATER },
          LATER,
        ),
      ).toBeNull();
      expect((await store().heldLeases(B, [renewed.id, moved.id])).sort()).toEqual(
        [renewed.id, moved.id].sort(),
      );
    });
  });
}
