/** One page of a listing and the cursor that resumes after it. */
export interface Page<T> {
  items: readonly T[];
  cursor?: string | undefined;
}

export interface PagedRunOptions<T> {
  pages: AsyncIterable<Page<T>>;
  /** Items handled at once, across page boundaries. */
  concurrency: number;
  /** Stops taking new items; those in flight finish, and the run returns `stopped: true`. */
  signal?: AbortSignal | undefined;
  /** Handles one item; must not throw (record the failure instead). */
  task: (item: T, page: number) => Promise<void>;
  /** Called in page order once every item of the page and of every page before it is done. */
  pageDone: (cursor: string | undefined, last: boolean, page: number) => Promise<void>;
}

interface PageState {
  remaining: number;
  listed: boolean;
  cursor: string | undefined;
  last: boolean;
}

/**
 * Runs `task` over every item of a paged listing with at most `concurrency` at once, without waiting
 * for a page to finish before starting the next (the next page is listed while the current one is
 * copied). Checkpoints advance only past pages fully done, so a stop or a crash resumes without
 * skipping anything: at most one page's work is done twice, which idempotent tasks allow. Memory
 * holds the page in hand and the items in flight, whatever the listing's length.
 */
export async function pagedRun<T>(options: PagedRunOptions<T>): Promise<{ stopped: boolean }> {
  const { concurrency, signal, task } = options;
  const states = new Map<number, PageState>();
  const inFlight = new Set<Promise<void>>();
  let nextToReport = 0;
  let reporting = Promise.resolve();
  let failure: unknown;

  const report = () => {
    reporting = reporting.then(async () => {
      for (let state = states.get(nextToReport); state?.listed && state.remaining === 0; state = states.get(nextToReport)) {
        states.delete(nextToReport);
        nextToReport++;
        await options.pageDone(state.cursor, state.last, nextToReport - 1);
      }
    });
    reporting.catch((error: unknown) => {
      failure ??= error;
    });
  };

  const slotFree = async () => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  let index = 0;
  let stopped = false;
  const iterator = options.pages[Symbol.asyncIterator]();
  for (;;) {
    if (signal?.aborted || failure) {
      stopped = Boolean(signal?.aborted);
      break;
    }
    const next = await iterator.next();
    if (next.done) break;
    const page = next.value;
    const state: PageState = { remaining: 0, listed: false, cursor: page.cursor, last: page.cursor === undefined };
    states.set(index, state);
    for (const item of page.items) {
      await slotFree();
      if (signal?.aborted || failure) break;
      state.remaining++;
      const running: Promise<void> = task(item, index)
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          inFlight.delete(running);
          state.remaining--;
          if (state.listed && state.remaining === 0) report();
        });
      inFlight.add(running);
    }
    if (signal?.aborted || failure) {
      stopped = Boolean(signal?.aborted);
      break;
    }
    state.listed = true;
    if (state.remaining === 0) report();
    index++;
    if (state.last) break;
  }
  await Promise.allSettled(inFlight);
  await iterator.return?.();
  await reporting;
  if (failure) throw failure;
  return { stopped };
}
