/** The frame around every signed-in page: navigation, theme, sign out. */
import type { ComponentChildren } from 'preact';
import type { ThemeChoice } from '../theme';
import { BrandMark, Icon, type IconName } from './icons';
import { Link } from './link';
import { ThemeToggle } from './theme-toggle';

const sections: readonly { path: string; label: string; icon: IconName; matches(path: string): boolean }[] = [
  { path: '/', label: 'Overview', icon: 'overview', matches: (path) => path === '/' },
  { path: '/logs', label: 'Logs', icon: 'logs', matches: (path) => path.startsWith('/logs') },
  { path: '/keys', label: 'Keys', icon: 'keys', matches: (path) => path.startsWith('/keys') },
];

export interface AppShellProps {
  path: string;
  themeChoice: ThemeChoice;
  onThemeChange(choice: ThemeChoice): void;
  onSignOut(): void;
  children: ComponentChildren;
}

export function AppShell({ path, themeChoice, onThemeChange, onSignOut, children }: AppShellProps) {
  return (
    <div class="shell">
      <aside class="sidebar">
        <Link to="/" class="brand">
          <BrandMark />
          Switchyard
        </Link>
        <nav class="nav" aria-label="Sections">
          {sections.map((section) => (
            <Link key={section.path} to={section.path} class="nav-link" aria-current={section.matches(path) ? 'page' : undefined}>
              <Icon name={section.icon} />
              {section.label}
            </Link>
          ))}
        </nav>
        <div class="sidebar-footer">
          <span class="sidebar-label">Theme</span>
          <ThemeToggle choice={themeChoice} onChange={onThemeChange} />
          <button type="button" class="button button-ghost button-small sign-out" onClick={onSignOut}>
            <Icon name="signOut" size={14} />
            Sign out
          </button>
        </div>
      </aside>
      <main class="content">{children}</main>
    </div>
  );
}
