import type { ComponentChildren } from 'preact';

export function Card({ title, description, actions, flush, children, class: className, ...rest }: { title?: ComponentChildren; description?: ComponentChildren; actions?: ComponentChildren; flush?: boolean; children: ComponentChildren; class?: string; 'data-testid'?: string }) {
  return (
    <section class={['card', flush ? 'card-flush' : '', className ?? ''].join(' ').trim()} {...rest}>
      {title ? (
        <div class="card-header">
          <div>
            <h2>{title}</h2>
            {description ? <p>{description}</p> : null}
          </div>
          {actions}
        </div>
      ) : null}
      {flush ? children : <div class="card-body">{children}</div>}
    </section>
  );
}
