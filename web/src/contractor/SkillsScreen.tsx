import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Spinner } from '../ui/components';
import { useContractorChange } from './hooks';
import { SkillPicker } from './SkillPicker';
import type { Contractor, SkillChoice } from './types';

/** Skills: the whole set is saved in one call (PUT /api/me/skills). */
export function SkillsScreen({ contractor }: { contractor: Contractor }) {
  const tasks = useQuery({ queryKey: ['tasks'], queryFn: () => call(api.GET('/api/tasks')), staleTime: 3_600_000 });
  const [value, setValue] = useState(
    () =>
      new Map<string, SkillChoice>(
        contractor.skills.map((s) => [s.taskId, { taskId: s.taskId, confidence: s.confidence, yearsExperience: s.yearsExperience }]),
      ),
  );
  const [saved, setSaved] = useState(false);
  const completed = useMemo(() => new Map(contractor.skills.map((s) => [s.taskId, s.completedCount])), [contractor.skills]);
  const save = useContractorChange(() => call(api.PUT('/api/me/skills', { body: { skills: [...value.values()] } })));
  const total = tasks.data?.tasks.length ?? 0;
  const experts = [...value.values()].filter((s) => s.confidence === 'expert').length;

  return (
    <section aria-labelledby="skills-title">
      <h1 id="skills-title">Your skills</h1>
      <p className="muted">
        {value.size} of {total} tasks selected ({experts} expert). Expert: you do it often and well. Capable: you can do it to a good
        standard.
      </p>
      <ErrorAlert error={tasks.error} />
      {tasks.isPending ? <Spinner label="Loading tasks" /> : null}
      {tasks.data ? (
        <SkillPicker
          categories={tasks.data.categories}
          value={value}
          completed={completed}
          onChange={(v) => {
            setSaved(false);
            setValue(v);
          }}
        />
      ) : null}
      <div className="sticky-save">
        <ErrorAlert error={save.error} />
        {saved ? <Alert kind="ok">Skills saved.</Alert> : null}
        <button
          className="btn btn-primary btn-big"
          type="button"
          disabled={save.isPending || !tasks.data}
          onClick={() =>
            save
              .mutateAsync(undefined)
              .then(() => setSaved(true))
              .catch(() => undefined)
          }
        >
          {save.isPending ? 'Saving…' : `Save ${value.size} skill${value.size === 1 ? '' : 's'}`}
        </button>
      </div>
    </section>
  );
}
