/** SQLSTATE classes meaning "the server is not there" rather than "the statement was wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  'terminating connection',
];

/** True when an error means the database cannot be reached (answered as 503), not a bug (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const candidate = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof candidate.code === 'string') {
    if (UNAVAILABLE_NODE_CODES.has(candidate.code) || UNAVAILABLE_SQLSTATE.test(candidate.code)) return true;
  }
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  if (UNAVAILABLE_MESSAGES.some((fragment) => message.includes(fragment))) return true;
  return isDatabaseUnavailable(candidate.driverError) || isDatabaseUnavailable(candidate.cause);
}
