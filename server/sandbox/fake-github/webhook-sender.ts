import { createHmac, randomUUID } from "node:crypto";

/** A webhook delivery the fake sent, for assertions and replays. */
export interface FakeDelivery {
  id: string;
  event: string;
  /** The exact body sent (the signature is over it). */
  body: string;
  signature: string;
  /** The receiver's HTTP status; 0 when it could not be reached. */
  status: number;
  response: string;
}

/**
 * Sends GitHub-style webhook deliveries: JSON bodies signed with HMAC-SHA256 in
 * `X-Hub-Signature-256`, with `X-GitHub-Event` and a fresh `X-GitHub-Delivery`.
 */
export class WebhookSender {
  readonly deliveries: FakeDelivery[] = [];
  #target: { url: string; secret: string } | null = null;

  /** Where deliveries go from now on; null stops them. */
  configure(target: { url: string; secret: string } | null): void {
    this.#target = target;
  }

  /** Sends one event; resolves with the delivery once the receiver answered. */
  async send(event: string, payload: unknown): Promise<FakeDelivery | null> {
    const target = this.#target;
    if (target === null) return null;
    const body = JSON.stringify(payload);
    const delivery: FakeDelivery = {
      id: randomUUID(),
      event,
      body,
      signature: `sha256=${createHmac("sha256", target.secret).update(body).digest("hex")}`,
      status: 0,
      response: "",
    };
    this.deliveries.push(delivery);
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/fake",
          "x-github-event": event,
          "x-github-delivery": delivery.id,
          "x-hub-signature-256": delivery.signature,
        },
        body,
      });
      delivery.status = response.status;
      delivery.response = await response.text();
    } catch (error) {
      delivery.response = error instanceof Error ? error.message : String(error);
    }
    return delivery;
  }
}
