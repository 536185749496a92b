import type { ComponentChildren } from 'preact';

export function PageHeader({ title, description, children }: { title: ComponentChildren; description?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div class="page-header-text">
        <h1>{title}</h1>
        {description ? <p>{description}</p> : null}
      </div>
      {children ? <div class="page-actions">{children}</div> : null}
    </header>
  );
}
