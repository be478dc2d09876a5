// Group commit: the commits that several downloads ask for in one turn of the event loop share one
// SQLite transaction. With 16 small files at a time, each file's claim of its name and its
// "every byte written" land within a few milliseconds of the others'. Alone, each is a commit
// (WAL frames for the same few pages written again, file locks taken and released); together they
// are one. Every caller still waits for its own work to be committed before it goes on, so a
// crash rule such as "recorded before the .part exists" holds exactly as with its own commit.
//
// One caller's failure does not undo another's: each runs under its own savepoint.

interface Job {
  fn: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private pending: Job[] = [];
  private timer: NodeJS.Immediate | null = null;

  /** `transaction(fn)` runs `fn` in a transaction, or under a savepoint when one is open. */
  constructor(private readonly transaction: <T>(fn: () => T) => T) {}

  /**
   * Runs `fn` in the transaction committed after this turn's I/O callbacks (setImmediate runs
   * after the poll phase, so every socket that was ready in this turn has had its say).
   * Resolves with `fn`'s result once it is committed; rejects with `fn`'s error (its changes
   * rolled back) or with the commit's.
   */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.timer ??= setImmediate(() => this.flush());
    });
  }

  /** Commits what is pending now. The store calls it before closing the database. */
  flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
    const jobs = this.pending;
    this.pending = [];
    if (jobs.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.transaction(() => jobs.map((job) => attempt(() => this.transaction(job.fn))));
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? jobs[i]!.resolve(o.value) : jobs[i]!.reject(o.error)));
  }
}

function attempt(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
