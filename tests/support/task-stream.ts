/**
 * Waits for a task's run to end by reading its Server-Sent Events stream, which the server
 * ends (`event: end`) once the task is in a final state: an event, not a polling interval.
 */
export async function waitForTaskEnd(eventsUrl: string, token: string): Promise<void> {
  const res = await fetch(eventsUrl, {
    headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" },
  });
  if (res.status !== 200 || res.body === null) {
    throw new Error(`GET ${eventsUrl} as a stream: ${res.status} ${await res.text()}`);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`${eventsUrl} closed before the task ended`);
      buffered += decoder.decode(value, { stream: true });
      if (/^event: end$/m.test(buffered)) return;
      // Only an unfinished last line can still become the end marker.
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    }
  } finally {
    await reader.cancel();
  }
}
