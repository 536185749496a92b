/**
 * Light or dark: follows the system (prefers-color-scheme) until the user
 * picks one with the toggle; the choice is remembered on this browser.
 */
import { useEffect, useState } from 'preact/hooks';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const storageKey = 'switchyard.theme';
const darkQuery = '(prefers-color-scheme: dark)';

export function readThemeChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(storageKey);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

function resolve(choice: ThemeChoice): Theme {
  if (choice !== 'system') return choice;
  return window.matchMedia(darkQuery).matches ? 'dark' : 'light';
}

/** Sets `data-theme` on <html>, which the stylesheets key on. */
export function applyTheme(choice: ThemeChoice): Theme {
  const theme = resolve(choice);
  document.documentElement.dataset.theme = theme;
  return theme;
}

export function useTheme(): { choice: ThemeChoice; theme: Theme; choose(choice: ThemeChoice): void } {
  const [choice, setChoice] = useState<ThemeChoice>(readThemeChoice);
  const [theme, setTheme] = useState<Theme>(() => resolve(choice));

  useEffect(() => {
    setTheme(applyTheme(choice));
    if (choice !== 'system') return;
    const query = window.matchMedia(darkQuery);
    const follow = () => setTheme(applyTheme('system'));
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [choice]);

  function choose(next: ThemeChoice): void {
    try {
      if (next === 'system') localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, next);
    } catch {
      // Storage may be off; the choice still holds for this page.
    }
    setChoice(next);
  }

  return { choice, theme, choose };
}
