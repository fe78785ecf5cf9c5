/** A cookie the test browser holds. */
interface StoredCookie {
  value: string;
  path: string;
  expires: number | null;
}

/** One response in a followed chain of redirects. */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

/**
 * A tiny browser for sign-in tests: `fetch` with manual redirects and a cookie jar per
 * host (with cookie paths and expiry), so a test sees each real HTTP redirect between
 * Patchboard and the identity provider, as a browser would make them.
 */
export class TestBrowser {
  readonly #jar = new Map<string, Map<string, StoredCookie>>();
  /** Every hop of every navigation, in order. */
  readonly hops: Hop[] = [];

  /** One request, no redirect following; stores the cookies it sets. */
  async request(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.Cookie = cookie;
    const response = await fetch(target, {
      method: init.method ?? "GET",
      headers,
      redirect: "manual",
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    this.#store(target, response.headers.getSetCookie());
    this.hops.push({
      url: target.href,
      status: response.status,
      location: response.headers.get("location"),
    });
    return response;
  }

  /** Requests `url` and follows redirects (GET), returning the final response and its URL. */
  async navigate(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.request(current, init);
    for (let i = 0; i < 20 && response.status >= 300 && response.status < 400; i += 1) {
      const location = response.headers.get("location");
      if (location === null) break;
      current = new URL(location, current).href;
      response = await this.request(current);
    }
    return { response, url: current };
  }

  /** Submits a form (urlencoded POST) and follows the redirects. */
  submit(url: string, fields: Record<string, string>) {
    return this.navigate(url, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
  }

  /** The Cookie header this browser would send to `url`. */
  cookieHeader(url: URL): string {
    const now = Date.now();
    const cookies = this.#jar.get(url.host) ?? new Map<string, StoredCookie>();
    return [...cookies]
      .filter(([, c]) => (c.expires === null || c.expires > now) && url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
  }

  /** A cookie's value for a host, if held. */
  cookie(origin: string, name: string): string | undefined {
    return this.#jar.get(new URL(origin).host)?.get(name)?.value;
  }

  #store(url: URL, setCookies: string[]): void {
    const cookies = this.#jar.get(url.host) ?? new Map<string, StoredCookie>();
    this.#jar.set(url.host, cookies);
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = "/";
      let expires: number | null = null;
      for (const attribute of attributes) {
        const [key = "", val = ""] = attribute.split("=").map((s) => s.trim());
        if (key.toLowerCase() === "path") path = val || "/";
        if (key.toLowerCase() === "max-age") expires = Date.now() + Number(val) * 1000;
        if (key.toLowerCase() === "expires" && expires === null) expires = Date.parse(val);
      }
      if (value === "" || (expires !== null && expires <= Date.now())) cookies.delete(name);
      else cookies.set(name, { value, path, expires });
    }
  }
}
