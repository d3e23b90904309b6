/**
 * Timers of running tasks: every timer is unref'd, `finishAll()` fast-forwards running tasks and
 * `dispose()` cancels them, so nothing keeps a process alive.
 *
 * @module
 */

/** Thrown inside a task whose scheduler was disposed; tasks catch it and stop quietly. */
export class TaskCancelled extends Error {
  constructor() {
    super("Emulator closed: task cancelled");
    this.name = "TaskCancelled";
  }
}

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Sleeps for tasks, with fast-forward and cancellation. */
export class Scheduler {
  readonly #pending = new Set<Pending>();
  readonly #running = new Set<Promise<void>>();
  #fast = 0;
  #epoch = 0;

  /** The current epoch; a task captures it at start and passes it to {@link Scheduler.sleep}. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Sleep `ms` (resolves at once while fast-forwarding); rejects with TaskCancelled once the
   * scheduler was disposed after the task's `epoch`.
   */
  sleep(ms: number, epoch: number): Promise<void> {
    if (epoch !== this.#epoch) return Promise.reject(new TaskCancelled());
    if (this.#fast > 0 || ms <= 0) {
      return new Promise((resolve, reject) =>
        setImmediate(() => (epoch === this.#epoch ? resolve() : reject(new TaskCancelled()))),
      );
    }
    return new Promise((resolve, reject) => {
      const entry: Pending = {
        timer: setTimeout(() => {
          this.#pending.delete(entry);
          resolve();
        }, ms),
        resolve,
        reject,
      };
      entry.timer.unref?.();
      this.#pending.add(entry);
    });
  }

  /** Track a task so `finishAll()` can wait for it. */
  track(task: Promise<void>): void {
    const tracked = task.catch(() => {}).finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  /** Number of tasks still running. */
  get running(): number {
    return this.#running.size;
  }

  /** Run every pending and future sleep at once until all running tasks are done. */
  async finishAll(): Promise<void> {
    this.#fast += 1;
    try {
      while (this.#running.size > 0) {
        for (const entry of [...this.#pending]) {
          clearTimeout(entry.timer);
          this.#pending.delete(entry);
          entry.resolve();
        }
        await Promise.race([...this.#running]);
      }
    } finally {
      this.#fast -= 1;
    }
  }

  /** Wait until every running task is done, at its own pace. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.race([...this.#running]);
  }

  /** Cancel every sleeping task (they stop where they are) and clear every timer. */
  dispose(): void {
    this.#epoch += 1;
    for (const entry of [...this.#pending]) {
      clearTimeout(entry.timer);
      this.#pending.delete(entry);
      entry.reject(new TaskCancelled());
    }
  }
}
