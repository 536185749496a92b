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

/** `bodyMode` is how the gateway logged bodies: in `metadata` mode it kept their shape (roles, sizes), not their content. */
export function JsonView({ title, value, bodyMode }: { title: string; value: unknown; bodyMode?: string }) {
  const stored = value !== null && value !== undefined;
  const text = stored ? pretty(value) : '';
  return (
    <section class="card card-flush body-view" data-testid={`body-${title.toLowerCase()}`}>
      <div class="card-header">
        <div class="title-row">
          <h2>{title}</h2>
          {stored && bodyMode === 'metadata' ? (
            <span class="badge" title="Logged in the metadata mode: the body's shape without its content">
              shape only
            </span>
          ) : null}
        </div>
        {stored ? <CopyButton text={text} /> : null}
      </div>
      {stored ? (
        <pre class="code-block">{text}</pre>
      ) : (
        <EmptyState compact title="Not stored">
          {bodyMode === 'metadata' || bodyMode === 'full' ? (
            <>No {title.toLowerCase()} body was logged for this request{title === 'Response' ? ': a failed or refused request has none' : ''}.</>
          ) : (
            <>
              Bodies are kept only when request logging stores them (the <code>metadata</code> or <code>full</code> logging mode).
            </>
          )}
        </EmptyState>
      )}
    </section>
  );
}
