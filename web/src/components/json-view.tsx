/** A stored request or response body, pretty-printed, with a copy button; or why it is missing. */
import { CopyButton } from './copy-button';
import { EmptyState } from './states';

function pretty(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

export function JsonView({ title, value }: { title: string; value: unknown }) {
  const stored = value !== null && value !== undefined;
  const text = stored ? pretty(value) : '';
  return (
    <section class="card card-flush body-view" data-testid={`body-${title.toLowerCase()}`}>
      <div class="card-header">
        <h2>{title}</h2>
        {stored ? <CopyButton text={text} /> : null}
      </div>
      {stored ? (
        <pre class="code-block">{text}</pre>
      ) : (
        <EmptyState compact title="Not stored">Bodies are kept only when request logging stores them (the <code>full</code> logging mode).</EmptyState>
      )}
    </section>
  );
}
