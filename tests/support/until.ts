/**
 * Waits until a condition holds, checking every 20 ms, and fails with what never happened.
 * For state another connection changes (a notification heard, a reconnection), where no
 * event of its own can be awaited.
 */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Never happened within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
