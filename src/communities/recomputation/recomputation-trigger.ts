/** What a run reports: `ran: false` when another run (here or on another replica) held the lock. */
export type RunOutcome = { ran: boolean };

/**
 * When to recompute: debounced (a burst of changes causes one run), one run at a time in this
 * process, a run requested during a run follows it, and a run that could not take the lock or
 * failed is retried after the debounce.
 */
export class RecomputationTrigger {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private rerunRequested = false;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<RunOutcome>,
    private readonly debounceMs: number,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Asks for a run after the debounce (or the given delay), replacing a run already waiting. */
  request(delayMs = this.debounceMs): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, delayMs);
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
