/**
 * A look-up remembered until the current synchronous run of code ends (the next microtask). A page
 * of hints asks for the same few departments hundreds of times in one run, during which nothing can
 * change them: every change is a command of its own, reached only after an await.
 */
export function withinTurn<V>(lookUp: (key: string) => V): (key: string) => V {
  let memo: Map<string, V> | null = null;
  return (key) => {
    if (!memo) {
      memo = new Map();
      queueMicrotask(() => (memo = null));
    }
    if (!memo.has(key)) memo.set(key, lookUp(key));
    return memo.get(key) as V;
  };
}
