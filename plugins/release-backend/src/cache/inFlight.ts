/**
 * Runs `load` unless a load under the same key is already in flight, in
 * which case its promise (answer or failure) is shared. The entry leaves the
 * map as soon as that promise settles, so nothing is kept: a call after it
 * loads again.
 */
export function shareInFlight<T>(
  inFlight: Map<string, Promise<unknown>>,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running as Promise<T>;
  const promise = load();
  inFlight.set(key, promise);
  const forget = () => {
    if (inFlight.get(key) === promise) inFlight.delete(key);
  };
  promise.then(forget, forget);
  return promise;
}
