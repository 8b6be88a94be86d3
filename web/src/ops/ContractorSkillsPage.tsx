import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Spinner } from '../ui/components';
import { CompletionMeter } from '../ui/CompletionMeter';
import { SkillPicker, type SkillValue } from '../ui/SkillPicker';
import { useAbilities, useAction, useApiQuery } from './hooks';

/** Staff edit a contractor's skills on the skill selection screen; the completion meter follows the save. */
export default function ContractorSkillsPage() {
  const { id = '' } = useParams();
  const { canManage } = useAbilities();
  const c = useApiQuery(['contractor', id], () => call(api.GET('/api/contractors/{id}', { params: { path: { id } } })));
  const tasks = useApiQuery(['tasks'], () => call(api.GET('/api/tasks')));
  const [skills, setSkills] = useState<SkillValue[] | null>(null);
  useEffect(() => {
    if (c.data && skills === null)
      setSkills(c.data.contractor.skills.map((s) => ({ taskId: s.taskId, confidence: s.confidence, yearsExperience: s.yearsExperience })));
  }, [c.data, skills]);
  const save = useAction((list: SkillValue[]) =>
    call(api.PUT('/api/contractors/{id}/skills', { params: { path: { id } }, body: { skills: list } })),
  );
  if (c.isPending || tasks.isPending || skills === null) return <Spinner />;
  if (c.error || tasks.error) return <ErrorAlert error={c.error ?? tasks.error} />;
  const contractor = c.data.contractor;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Skills: {contractor.name}</h1>
        <Link to={`/ops/contractors/${id}`}>Back to the profile</Link>
      </div>
      <div className="card">
        <CompletionMeter score={contractor.profileCompletionScore} missing={contractor.missingProfileParts} />
      </div>
      <SkillPicker tasks={tasks.data.tasks} value={skills} onChange={setSkills} />
      <div className="card save-bar">
        {save.isSuccess ? <Alert kind="ok">Skills saved.</Alert> : null}
        <ErrorAlert error={save.error} />
        {canManage ? (
          <button className="btn btn-primary" type="button" disabled={save.isPending} onClick={() => save.mutate(skills)}>
            {save.isPending ? 'Saving…' : `Save ${skills.length} skills`}
          </button>
        ) : (
          <p className="muted">Only admins and VAs change skills.</p>
        )}
      </div>
    </div>
  );
}
