import { useMemo } from 'react';

export type SkillTask = { id: string; name: string; category: string; requiresCertification?: boolean; certification?: string | null };
export type SkillValue = { taskId: string; confidence: 'expert' | 'capable'; yearsExperience: number };

const LEVELS = [
  { value: '', label: 'No' },
  { value: 'capable', label: 'Capable' },
  { value: 'expert', label: 'Expert' },
] as const;

/**
 * The skill selection screen: every task of the taxonomy grouped by category, each with
 * "No / Capable / Expert" and years of experience. Controlled: the parent owns the list and
 * saves it. Radio groups keep it keyboard- and screen-reader-friendly (arrow keys move within a task).
 */
export function SkillPicker({
  tasks,
  value,
  onChange,
}: {
  tasks: SkillTask[];
  value: SkillValue[];
  onChange: (next: SkillValue[]) => void;
}) {
  const byTask = useMemo(() => new Map(value.map((s) => [s.taskId, s])), [value]);
  const categories = useMemo(() => {
    const m = new Map<string, SkillTask[]>();
    for (const t of tasks) m.set(t.category, [...(m.get(t.category) ?? []), t]);
    return [...m];
  }, [tasks]);

  const setLevel = (taskId: string, level: '' | 'capable' | 'expert') => {
    if (!level) return onChange(value.filter((s) => s.taskId !== taskId));
    const existing = byTask.get(taskId);
    if (existing) return onChange(value.map((s) => (s.taskId === taskId ? { ...s, confidence: level } : s)));
    onChange([...value, { taskId, confidence: level, yearsExperience: 1 }]);
  };
  const setYears = (taskId: string, years: number) =>
    onChange(value.map((s) => (s.taskId === taskId ? { ...s, yearsExperience: Math.max(0, Math.min(60, Math.round(years) || 0)) } : s)));

  return (
    <div className="skill-picker">
      <p className="skill-count" aria-live="polite">
        {value.length} of {tasks.length} tasks selected ({value.filter((s) => s.confidence === 'expert').length} expert)
      </p>
      {categories.map(([category, list]) => {
        const chosen = list.filter((t) => byTask.has(t.id)).length;
        return (
          <details key={category} className="skill-category" open>
            <summary>
              {category}{' '}
              <span className="muted">
                ({chosen} of {list.length})
              </span>
            </summary>
            <ul className="skill-list">
              {list.map((t) => {
                const s = byTask.get(t.id);
                const name = `skill-${t.id}`;
                return (
                  <li key={t.id} className={s ? `skill-row skill-${s.confidence}` : 'skill-row'}>
                    <fieldset>
                      <legend>
                        {t.name}
                        {t.requiresCertification ? (
                          <span className="cert-note"> (needs {t.certification ?? 'a certification'})</span>
                        ) : null}
                      </legend>
                      <div className="skill-controls">
                        {LEVELS.map((l) => (
                          <label key={l.value} className="skill-level">
                            <input
                              type="radio"
                              name={name}
                              value={l.value}
                              checked={(s?.confidence ?? '') === l.value}
                              onChange={() => setLevel(t.id, l.value)}
                            />
                            {l.label}
                          </label>
                        ))}
                        <label className="skill-years">
                          Years
                          <input
                            type="number"
                            min={0}
                            max={60}
                            disabled={!s}
                            value={s?.yearsExperience ?? ''}
                            onChange={(e) => setYears(t.id, Number(e.target.value))}
                          />
                        </label>
                      </div>
                    </fieldset>
                  </li>
                );
              })}
            </ul>
          </details>
        );
      })}
    </div>
  );
}
