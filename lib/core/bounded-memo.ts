/**
 * `compute` remembered per string, for values a description repeats across many datasets (sizes,
 * param names). Bounded, as the strings come from users: past `limit`, everything is forgotten.
 */
export function boundedMemo<T>(compute: (key: string) => T, limit = 1024): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (known.has(key)) return known.get(key) as T;
    const value = compute(key);
    if (known.size >= limit) known.clear();
    known.set(key, value);
    return value;
  };
}
