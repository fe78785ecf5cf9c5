import { BlockList, isIP } from "node:net";

/**
 * A set of addresses and CIDR ranges (IPv4 and IPv6). IPv4 addresses that arrive
 * IPv4-mapped (`::ffff:10.0.0.1`, as a dual-stack socket reports them) match IPv4 rules.
 */
export class IpAllowList {
  readonly #list = new BlockList();
  readonly entries: readonly string[];

  private constructor(entries: string[]) {
    this.entries = entries;
  }

  /** Parses `10.0.0.1, 10.1.0.0/16, ::1`; invalid entries are returned as problems. */
  static parse(name: string, value: string | undefined): { list: IpAllowList; problems: string[] } {
    const entries = (value ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const list = new IpAllowList(entries);
    const problems: string[] = [];
    for (const entry of entries) {
      const [address = "", prefix, ...rest] = entry.split("/");
      const family = isIP(address);
      const bits = prefix === undefined ? null : Number(prefix);
      const max = family === 6 ? 128 : 32;
      if (
        family === 0 ||
        rest.length > 0 ||
        (bits !== null && (!Number.isInteger(bits) || bits < 0 || bits > max))
      ) {
        problems.push(`${name}: "${entry}" is not an IP address or CIDR range`);
        continue;
      }
      const type = family === 6 ? "ipv6" : "ipv4";
      if (bits === null) list.#list.addAddress(address, type);
      else list.#list.addSubnet(address, bits, type);
    }
    return { list, problems };
  }

  /** Whether an address (as `socket.remoteAddress` gives it) is in the list. */
  has(address: string | undefined): boolean {
    if (address === undefined) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const plain = mapped?.[1] ?? address;
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 6 ? "ipv6" : "ipv4");
  }
}
