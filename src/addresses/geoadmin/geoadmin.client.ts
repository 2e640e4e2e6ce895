import { Logger, ServiceUnavailableException } from '@nestjs/common';

export const DIRECTORY_UNAVAILABLE =
  'The federal address directory (geo.admin.ch) is not answering; please try again in a few minutes';

/** An answer whose shape the adapter does not recognise: not retried, reported as unavailable. */
export class UnreadableAnswerError extends Error {}

export type GeoadminClientOptions = {
  /** e.g. https://api3.geo.admin.ch (a path prefix is kept). */
  baseUrl: string;
  timeoutMs: number;
  /** Pause before the one retry. */
  retryDelayMs?: number;
};

type Attempt = { ok: true; body: unknown } | { ok: false; retry: boolean; reason: string };

const DEFAULT_RETRY_DELAY_MS = 100;
const ATTEMPTS = 2;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET requests to the GeoAdmin API with a timeout per attempt and one retry on network errors,
 * timeouts and 5xx answers (not on 4xx: the same request would be refused again). Whatever goes
 * wrong ends as ServiceUnavailableException; logs carry the path and status, never the query.
 */
export class GeoadminClient {
  private readonly logger = new Logger('GeoadminClient');
  private readonly baseUrl: string;

  constructor(private readonly options: GeoadminClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async getJson<T>(path: string, params: Record<string, string>, parse: (body: unknown) => T): Promise<T> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(params).toString()}`;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const startedAt = Date.now();
      const outcome = await this.attempt(url);
      const took = Date.now() - startedAt;
      if (outcome.ok) {
        this.logger.debug(`${path} answered in ${took} ms`);
        return this.parsed(path, outcome.body, parse);
      }
      this.logger.warn(`${path} failed after ${took} ms (attempt ${attempt} of ${ATTEMPTS}): ${outcome.reason}`);
      if (!outcome.retry || attempt === ATTEMPTS) break;
      await pause(this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
    }
    throw new ServiceUnavailableException(DIRECTORY_UNAVAILABLE);
  }

  private async attempt(url: string): Promise<Attempt> {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs) });
      const text = await response.text();
      if (response.status >= 500) return { ok: false, retry: true, reason: `status ${response.status}` };
      if (!response.ok) return { ok: false, retry: false, reason: `status ${response.status}` };
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): Attempt {
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, retry: true, reason: `no answer within ${this.options.timeoutMs} ms` };
    if (error instanceof SyntaxError) return { ok: false, retry: false, reason: 'the answer is not JSON' };
    return { ok: false, retry: true, reason: `network error (${(error as Error)?.message ?? 'unknown'})` };
  }

  private parsed<T>(path: string, body: unknown, parse: (body: unknown) => T): T {
    try {
      return parse(body);
    } catch (error) {
      if (!(error instanceof UnreadableAnswerError)) throw error;
      this.logger.warn(`${path} answered in an unexpected form: ${error.message}`);
      throw new ServiceUnavailableException(DIRECTORY_UNAVAILABLE);
    }
  }
}
