/** An anchor that moves inside the app without reloading the page. */
import type { ComponentChildren, JSX } from 'preact';
import { href, navigate } from '../router';

type LinkProps = { to: string; children: ComponentChildren } & Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'>;

export function Link({ to, children, onClick, ...rest }: LinkProps) {
  function follow(event: JSX.TargetedMouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  }
  return (
    <a href={href(to)} onClick={follow} {...rest}>
      {children}
    </a>
  );
}
