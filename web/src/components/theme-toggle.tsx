/** System, light or dark. */
import type { ThemeChoice } from '../theme';
import { Icon } from './icons';
import { SegmentedControl, type Segment } from './segmented-control';

const segments: readonly Segment<ThemeChoice>[] = [
  { value: 'system', label: <Icon name="system" size={14} />, title: 'Follow the system theme' },
  { value: 'light', label: <Icon name="sun" size={14} />, title: 'Light theme' },
  { value: 'dark', label: <Icon name="moon" size={14} />, title: 'Dark theme' },
];

export function ThemeToggle({ choice, onChange }: { choice: ThemeChoice; onChange(choice: ThemeChoice): void }) {
  return <SegmentedControl label="Theme" segments={segments} value={choice} onChange={onChange} />;
}
