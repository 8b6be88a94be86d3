import { api, call } from '../api/client';
import { useApiQuery } from './hooks';

/** A select of the 66 tasks grouped by trade, with a first option for "none chosen". */
export function TaskSelect(p: {
  id: string;
  value: string;
  onChange: (taskId: string) => void;
  emptyLabel: string;
  isDisabled?: (taskId: string) => boolean;
}) {
  const tasks = useApiQuery(['tasks'], () => call(api.GET('/api/tasks')));
  return (
    <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
      <option value="">{p.emptyLabel}</option>
      {(tasks.data?.categories ?? []).map((c) => (
        <optgroup key={c.name} label={c.name}>
          {c.tasks.map((t) => (
            <option key={t.id} value={t.id} disabled={p.isDisabled?.(t.id)}>
              {t.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
