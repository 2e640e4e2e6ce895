import { RecomputationTrigger, RunOutcome, TriggerTiming } from './recomputation-trigger';

const DEBOUNCE_MS = 2000;
const MAX_WAIT_MS = 30_000;

/** A trigger whose runs take `runMs` and note when they started (ms after the test began). */
function triggerWith(timing: TriggerTiming = { debounceMs: DEBOUNCE_MS, maxWaitMs: MAX_WAIT_MS }, runMs = 0) {
  const began = Date.now();
  const starts: number[] = [];
  const run = async (): Promise<RunOutcome> => {
    starts.push(Date.now() - began);
    await new Promise((resolve) => setTimeout(resolve, runMs));
    return { ran: true };
  };
  const sut = new RecomputationTrigger(run, timing, (error) => {
    throw error;
  });
  return { sut, starts };
}

/** Requests a run every `everyMs` for `forMs`, starting now. */
async function changeSteadily(sut: RecomputationTrigger, everyMs: number, forMs: number): Promise<void> {
  for (let elapsed = 0; elapsed < forMs; elapsed += everyMs) {
    sut.request();
    await jest.advanceTimersByTimeAsync(everyMs);
  }
}

describe(RecomputationTrigger.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('should run once, a debounce after the last of a short burst', async () => {
    const { sut, starts } = triggerWith();

    sut.request();
    await jest.advanceTimersByTimeAsync(500);
    sut.request();
    await jest.advanceTimersByTimeAsync(10_000);

    expect(starts).toEqual([2500]);
  });

  it('should run at the latest the maximum wait after the first change while changes keep coming faster than the debounce', async () => {
    const { sut, starts } = triggerWith();

    await changeSteadily(sut, 1900, 95_000);

    // Each run the maximum wait after the first change it had not covered yet (0, 30 400, 60 800).
    expect(starts).toEqual([30_000, 60_400, 90_800]);
  });

  it('should debounce as usual again once a run has covered the burst', async () => {
    const { sut, starts } = triggerWith();

    await changeSteadily(sut, 1900, 31_000);
    await jest.advanceTimersByTimeAsync(10_000);

    // The last change (30 400) came after the forced run: it waits its plain debounce.
    expect(starts).toEqual([30_000, 32_400]);
  });

  it('should never wait less than the debounce when the maximum wait is shorter', async () => {
    const { sut, starts } = triggerWith({ debounceMs: DEBOUNCE_MS, maxWaitMs: 500 });

    sut.request();
    await jest.advanceTimersByTimeAsync(10_000);

    expect(starts).toEqual([2000]);
  });

  it('should start the run for changes made during a long run at the latest the maximum wait after the first of them', async () => {
    const { sut, starts } = triggerWith({ debounceMs: DEBOUNCE_MS, maxWaitMs: 5000 }, 8000);
    sut.request();
    await jest.advanceTimersByTimeAsync(DEBOUNCE_MS + 100);

    await changeSteadily(sut, 1000, 12_000);

    // The first change during the run came at 2 100 ms, so its maximum wait has passed when the run
    // ends at 10 000 ms: the next one starts at once (a 0 ms timer fires after 1 ms).
    expect(starts).toEqual([2000, 10_001]);
  });

  it('should start no run after stop', async () => {
    const { sut, starts } = triggerWith();

    sut.request();
    await sut.stop(0);
    await jest.advanceTimersByTimeAsync(MAX_WAIT_MS * 2);

    expect(starts).toEqual([]);
  });
});
