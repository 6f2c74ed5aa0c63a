/** One registered undo action. */
interface Cleanup {
  name: string;
  run: () => Promise<void>;
}

/** The failure of one cleanup action, kept (never swallowed) and reported with the original error. */
export interface CleanupFailure {
  name: string;
  error: unknown;
}

/** Undo actions run in reverse order of registration (what started last stops first). */
export class CleanupStack {
  private readonly actions: Cleanup[] = [];

  /** Registers `run` under `name`. */
  push(name: string, run: () => Promise<void>): void {
    this.actions.push({ name, run });
  }

  /** Number of registered actions. */
  get size(): number {
    return this.actions.length;
  }

  /** Runs every action (last first) even if some fail; returns the failures. Empties the stack. */
  async unwind(): Promise<CleanupFailure[]> {
    const failures: CleanupFailure[] = [];
    for (let action = this.actions.pop(); action; action = this.actions.pop()) {
      try {
        await action.run();
      } catch (error) {
        failures.push({ name: action.name, error });
      }
    }
    return failures;
  }
}
