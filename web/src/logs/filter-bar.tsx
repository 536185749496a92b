/** The log filters. Text fields apply on Enter or when focus leaves them; selects apply at once. */
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../components/icons';
import { activeFilterCount, sinceOptions, type LogFilters } from './log-filters';

/** A value the filter takes, and what it stands for when that differs (a key id and the key's name). */
export interface Suggestion {
  value: string;
  label?: string;
}

export interface FilterSuggestions {
  model: Suggestion[];
  provider: Suggestion[];
  key: Suggestion[];
  team: Suggestion[];
}

const statusOptions: readonly { value: string; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'success', label: 'Succeeded' },
  { value: 'error', label: 'Failed' },
  { value: '4xx', label: 'Any 4xx' },
  { value: '5xx', label: 'Any 5xx' },
  { value: '400', label: '400 Bad request' },
  { value: '401', label: '401 Unauthorized' },
  { value: '403', label: '403 Forbidden' },
  { value: '429', label: '429 Rate limited' },
  { value: '500', label: '500 Server error' },
  { value: '502', label: '502 Bad gateway' },
  { value: '503', label: '503 Unavailable' },
  { value: '504', label: '504 Timeout' },
];

type TextField = 'model' | 'provider' | 'key' | 'team' | 'minCost' | 'maxCost' | 'metadata';

const textFields: readonly { field: TextField; label: string; placeholder: string; list?: keyof FilterSuggestions; inputMode?: 'decimal' }[] = [
  { field: 'model', label: 'Model', placeholder: 'Any model', list: 'model' },
  { field: 'provider', label: 'Provider', placeholder: 'Any provider', list: 'provider' },
  { field: 'key', label: 'Key', placeholder: 'Any key id', list: 'key' },
  { field: 'team', label: 'Team', placeholder: 'Any team id', list: 'team' },
  { field: 'minCost', label: 'Min cost ($)', placeholder: '0.00', inputMode: 'decimal' },
  { field: 'maxCost', label: 'Max cost ($)', placeholder: 'No limit', inputMode: 'decimal' },
  { field: 'metadata', label: 'Metadata', placeholder: 'name=value' },
];

export function FilterBar({ filters, suggestions, onChange }: { filters: LogFilters; suggestions: FilterSuggestions; onChange(filters: LogFilters): void }) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);

  function commit(field: keyof LogFilters, value: string) {
    const next = { ...filters, [field]: value.trim() };
    if (next[field] !== filters[field]) onChange(next);
  }

  const active = activeFilterCount(filters);
  return (
    <form
      class="card filter-bar"
      aria-label="Log filters"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...draft });
      }}
    >
      <div class="filter-grid">
        {textFields.map(({ field, label, placeholder, list, inputMode }) => (
          <label class="field" key={field}>
            <span class="field-label">{label}</span>
            <input
              class="input"
              name={field}
              placeholder={placeholder}
              inputMode={inputMode}
              list={list ? `suggest-${list}` : undefined}
              autocomplete="off"
              spellcheck={false}
              value={draft[field]}
              onInput={(event) => setDraft({ ...draft, [field]: event.currentTarget.value })}
              onChange={(event) => commit(field, event.currentTarget.value)}
            />
          </label>
        ))}
        <label class="field">
          <span class="field-label">Status</span>
          <select class="select" name="status" value={filters.status} onChange={(event) => commit('status', event.currentTarget.value)}>
            {statusOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Time</span>
          <select class="select" name="since" value={filters.since} onChange={(event) => commit('since', event.currentTarget.value)}>
            {sinceOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="filter-footer">
        <span class="muted">
          <Icon name="filter" size={14} /> {active === 0 ? 'No filters' : `${active} filter${active === 1 ? '' : 's'} applied`}
        </span>
        <div class="page-actions">
          {active > 0 ? (
            <button type="button" class="button button-ghost button-small" onClick={() => onChange(emptyFilters)}>
              <Icon name="close" size={14} /> Clear filters
            </button>
          ) : null}
          <button type="submit" class="button button-small">
            Apply
          </button>
        </div>
      </div>
      {(Object.keys(suggestions) as (keyof FilterSuggestions)[]).map((name) => (
        <datalist id={`suggest-${name}`} key={name}>
          {suggestions[name].map(({ value, label }) => (
            <option key={value} value={value} label={label} />
          ))}
        </datalist>
      ))}
    </form>
  );
}

export const emptyFilters: LogFilters = { model: '', provider: '', key: '', team: '', status: '', minCost: '', maxCost: '', metadata: '', since: '' };
