/** What a run reports: `ran: false` when another run (here or on another replica) held the lock. */
export type RunOutcome = { ran: boolean };

/** How long runs wait: `debounceMs` after the latest change, but at most `maxWaitMs` after the first of a burst. */
export type TriggerTiming = { debounceMs: number; maxWaitMs: number };

/**
 * When to recompute: debounced (a burst of changes causes one run), yet at the latest maxWait after
 * the first change not yet covered by a run, so that a steady stream of changes cannot postpone
 * recomputation (and with it erasures on the map and contact e-mails) forever. One run at a time in
 * this process, a run requested during a run follows it, and a run that could not take the lock or
 * failed is retried after the debounce.
 */
export class RecomputationTrigger {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private rerunRequested = false;
  private stopped = false;
  /** When the oldest change not yet covered by a run was requested. */
  private pendingSince?: number;
  private readonly debounceMs: number;
  /** Never shorter than the debounce, or a single change would run before its debounce ends. */
  private readonly maxWaitMs: number;

  constructor(
    private readonly run: () => Promise<RunOutcome>,
    timing: TriggerTiming,
    private readonly onFailure: (error: unknown) => void,
  ) {
    this.debounceMs = timing.debounceMs;
    this.maxWaitMs = Math.max(timing.maxWaitMs, timing.debounceMs);
  }

  /** Asks for a run after the debounce (or the given delay), replacing a run already waiting, within the maximum wait. */
  request(delayMs = this.debounceMs): void {
    if (this.stopped) return;
    const now = Date.now();
    this.pendingSince ??= now;
    const untilMaxWait = this.pendingSince + this.maxWaitMs - now;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.start();
      },
      Math.max(0, Math.min(delayMs, untilMaxWait)),
    );
  }

  /** Resolves once no run is waiting or running. */
  async settled(): Promise<void> {
    while (this.timer || this.running) {
      await (this.running ?? new Promise((resolve) => setTimeout(resolve, 10)));
    }
  }

  /** No more runs; waits (bounded) for the one in progress. */
  async stop(waitMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  private start(): void {
    if (this.running) {
      this.rerunRequested = true;
      return;
    }
    // This run reads every change requested so far; later ones start a new wait.
    this.pendingSince = undefined;
    this.running = this.run()
      .then((outcome) => {
        if (!outcome.ran) this.request();
      })
      .catch((error: unknown) => {
        this.onFailure(error);
        this.request();
      })
      .finally(() => {
        this.running = undefined;
        if (this.rerunRequested) {
          this.rerunRequested = false;
          this.request();
        }
      });
  }
}
