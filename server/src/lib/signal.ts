/**
 * A service's typed event: the one way services tell others that something happened (a doc
 * loaded, a section revealed, presence changed), in place of callbacks threaded through
 * constructors. `on` returns the unsubscribe. Listeners run in order, synchronously, as the
 * callbacks they replace did.
 */
export class Signal<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  on(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(...args: Args): void {
    for (const listener of this.listeners) listener(...args);
  }
}
