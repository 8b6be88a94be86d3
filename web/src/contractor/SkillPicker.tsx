import { useState } from 'react';
import type { SkillChoice, TaskCategory } from './types';

type Props = {
  categories: TaskCategory[];
  value: Map<string, SkillChoice>;
  onChange: (next: Map<string, SkillChoice>) => void;
  /** Jobs done per task (kept by the system, shown, not editable). */
  completed: Map<string, number>;
};

/**
 * The seeds' skill selection screen: tasks grouped by category (collapsible, with how many are
 * picked), Capable / Expert per task (pressing the chosen one again clears it), and years.
 */
export function SkillPicker({ categories, value, onChange, completed }: Props) {
  const [open, setOpen] = useState<Set<string>>(
    () => new Set(categories.filter((c) => c.tasks.some((t) => value.has(t.id))).map((c) => c.name)),
  );
  const toggleOpen = (name: string) => {
    const next = new Set(open);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    setOpen(next);
  };
  const choose = (taskId: string, confidence: 'expert' | 'capable') => {
    const next = new Map(value);
    const current = next.get(taskId);
    if (current?.confidence === confidence) next.delete(taskId);
    else next.set(taskId, { taskId, confidence, yearsExperience: current?.yearsExperience ?? 0 });
    onChange(next);
  };
  const setYears = (taskId: string, years: number) => {
    const current = value.get(taskId);
    if (!current) return;
    onChange(new Map(value).set(taskId, { ...current, yearsExperience: Math.max(0, Math.min(70, Math.round(years) || 0)) }));
  };

  return (
    <div className="skill-picker">
      {categories.map((c) => {
        const picked = c.tasks.filter((t) => value.has(t.id)).length;
        const panel = `cat-${c.name.replace(/\W+/g, '-')}`;
        const expanded = open.has(c.name);
        return (
          <section key={c.name} className="card skill-cat">
            <h2 className="skill-cat-title">
              <button type="button" aria-expanded={expanded} aria-controls={panel} onClick={() => toggleOpen(c.name)}>
                <span>{c.name}</span>
                <span className="badge">
                  {picked} of {c.tasks.length}
                </span>
                <span aria-hidden="true" className="chevron">
                  {expanded ? '▾' : '▸'}
                </span>
              </button>
            </h2>
            <ul id={panel} hidden={!expanded} className="skill-list">
              {c.tasks.map((t) => {
                const s = value.get(t.id);
                const done = completed.get(t.id) ?? 0;
                return (
                  <li key={t.id} className={s ? `skill skill-${s.confidence}` : 'skill'}>
                    <div className="skill-name">
                      <span id={`task-${t.id}`}>{t.name}</span>
                      {t.certification ? <span className="muted small"> needs {t.certification}</span> : null}
                      {done ? (
                        <span className="muted small">
                          {' '}
                          · done {done} time{done === 1 ? '' : 's'}
                        </span>
                      ) : null}
                    </div>
                    <div className="skill-controls" role="group" aria-labelledby={`task-${t.id}`}>
                      <button
                        type="button"
                        className="chip chip-capable"
                        aria-pressed={s?.confidence === 'capable'}
                        onClick={() => choose(t.id, 'capable')}
                      >
                        Capable
                      </button>
                      <button
                        type="button"
                        className="chip chip-expert"
                        aria-pressed={s?.confidence === 'expert'}
                        onClick={() => choose(t.id, 'expert')}
                      >
                        Expert
                      </button>
                      {s ? (
                        <label className="years">
                          <input
                            type="number"
                            min={0}
                            max={70}
                            inputMode="numeric"
                            value={s.yearsExperience}
                            onChange={(e) => setYears(t.id, Number(e.target.value))}
                            aria-label={`Years doing ${t.name}`}
                          />
                          <span aria-hidden="true">yrs</span>
                        </label>
                      ) : null}
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
