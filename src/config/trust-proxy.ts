import { isIP } from 'node:net';

/** Express's `trust proxy` as this service allows it: a hop count, or the addresses of the proxies. */
export type TrustProxy = number | string[];

const MAX_HOPS = 10;

/** An IPv4/IPv6 address, or a network of one with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrNetwork(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // A /0 would trust every peer's X-Forwarded-For, which is what this setting is there to prevent.
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY` for Express: `0` trusts no proxy (req.ip is the peer), `n` takes the address `n`
 * hops back in X-Forwarded-For, a list trusts exactly those addresses/networks as proxies.
 * Express's names for whole ranges (`uniquelocal`, …) and `true` are refused: any private peer
 * could then choose its own address. Undefined when the value is none of these.
 */
export function parseTrustProxy(value: string): TrustProxy | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) <= MAX_HOPS ? Number(trimmed) : undefined;
  const entries = trimmed.split(',').map((entry) => entry.trim());
  return entries.every(isAddressOrNetwork) ? entries : undefined;
}
