/**
 * The cache's semantic lookup micro-benchmark (`benchmarkSemanticLookup` in src/cache), in a
 * process of its own: it fills an index with `entries` questions (hundreds of MiB, tens of
 * seconds), times lookups through it, and prints one JSON line with the result, or with
 * `skip` when this build has no such benchmark.
 *
 * Usage: node --import tsx bench/semantic-lookup-worker.ts <entries>
 */
const entries = Number(process.argv[2]);

interface CacheModule {
  benchmarkSemanticLookup?: (entries: number) => Promise<unknown>;
}

let cache: CacheModule;
try {
  cache = (await import('../src/cache/index.js')) as unknown as CacheModule;
} catch (error) {
  cache = {};
  console.error(String(error));
}
if (typeof cache.benchmarkSemanticLookup !== 'function') {
  console.log(JSON.stringify({ skip: 'src/cache/index.ts exports no benchmarkSemanticLookup' }));
} else {
  const result = await cache.benchmarkSemanticLookup(entries);
  console.log(JSON.stringify({ result }));
}
