/** A row of mutually exclusive buttons (time ranges, breakdown dimensions, theme). */
import type { ComponentChildren } from 'preact';

export interface Segment<T extends string> {
  value: T;
  label: ComponentChildren;
  title?: string;
}

export function SegmentedControl<T extends string>({ segments, value, onChange, label }: { segments: readonly Segment<T>[]; value: T; onChange(value: T): void; label: string }) {
  return (
    <div class="segmented" role="group" aria-label={label}>
      {segments.map((segment) => (
        <button key={segment.value} type="button" aria-pressed={segment.value === value} title={segment.title} aria-label={segment.title} onClick={() => onChange(segment.value)}>
          {segment.label}
        </button>
      ))}
    </div>
  );
}
