/**
 * The loop every poller of `evtgen dev` shares (SQS event source, async invoke, stream source):
 * started once; stopped by letting the current receive finish and waiting for the work in flight;
 * at most a given number of pieces of work at once.
 */
export abstract class PollLoop {
  #running = false;
  #loop: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  /** False once `stop` was called. */
  protected get running(): boolean {
    return this.#running;
  }

  /** Pieces of work started by `track` and not settled yet. */
  protected get inFlight(): number {
    return this.#inFlight.size;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.poll();
  }

  /** Stops receiving and waits for the work in flight. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await Promise.all(this.#inFlight);
  }

  /** Receives and hands work to `track` until `running` turns false. */
  protected abstract poll(): Promise<void>;

  /** Runs `work` in the background, in flight until it settles; a failure goes to `onError`. */
  protected track(work: Promise<void>, onError: (error: unknown) => void): void {
    const tracked = work.catch(onError);
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
  }

  /** Resolves once fewer than `limit` pieces of work are in flight. */
  protected async capacity(limit: number): Promise<void> {
    while (this.#inFlight.size >= limit) await Promise.race(this.#inFlight);
  }
}
