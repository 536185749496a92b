/** The lookup that `SeriesCounter` and `SeriesHistogram` share: a metric's series by label values. */

/**
 * The series of `values` (in `labelNames` order), made the first time with its labels as one object
 * (the registry caches their text by identity). Throws when the count of values is wrong.
 */
export function seriesFor<S>(series: Map<string, S>, metric: string, labelNames: readonly string[], values: readonly string[], make: (labels: Readonly<Record<string, string>>) => S): S {
  if (values.length !== labelNames.length) throw new Error(`${metric} takes ${labelNames.length} label values, got ${values.length}`);
  const key = values.join('\u0000');
  let found = series.get(key);
  if (found === undefined) {
    found = make(Object.fromEntries(labelNames.map((name, index) => [name, values[index]!])));
    series.set(key, found);
  }
  return found;
}
