/** What a person starting the service needs to know, all of it safe to print (no password, no SMTP credentials). */
export type BannerFacts = {
  /** The interface and port actually listened on (PORT may be 0). */
  host: string;
  port: number;
  /** APP_BASE_URL */
  baseUrl: string;
  /** DatabaseTarget.description */
  database: string;
  /** MailTransport.description */
  mail: string;
  /** ADDRESS_DIRECTORY and, for geoadmin, GEOADMIN_API_URL. */
  addresses: { kind: 'geoadmin' | 'offline'; geoadminUrl: string };
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The address to open: APP_BASE_URL when it is a public address (a proxy in front), or the same
 * loopback host with the port really listened on, so that PORT=0 or a PORT differing from the
 * default APP_BASE_URL still gives a working link.
 */
export function openableBaseUrl(baseUrl: string, port: number): string {
  const url = new URL(baseUrl);
  if (!LOOPBACK_HOSTS.has(url.hostname)) return url.toString().replace(/\/?$/, '/');
  return `http://${url.hostname}:${port}/`;
}

/** Which address directory answers, in words; the offline one says plainly that it is demo data. */
export function addressDirectoryLine(addresses: BannerFacts['addresses']): string {
  return addresses.kind === 'offline'
    ? 'offline DEMO gazetteer of Baden AG (not real data; ADDRESS_DIRECTORY=geoadmin for federal geodata)'
    : `federal geodata at ${addresses.geoadminUrl}`;
}

/** The short block logged once the service listens: where it is, what it stores in, where addresses come from, where e-mails go. */
export function startupBanner(facts: BannerFacts): string {
  const base = openableBaseUrl(facts.baseUrl, facts.port);
  return [
    `Listening on ${facts.host}:${facts.port}`,
    `  Page:      ${base}`,
    `  API docs:  ${new URL('docs', base).toString()}`,
    `  Database:  ${facts.database}`,
    `  Addresses: ${addressDirectoryLine(facts.addresses)}`,
    `  E-mails:   ${facts.mail}`,
  ].join('\n');
}
