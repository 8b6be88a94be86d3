import { Link, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { Badge, ErrorAlert, Field, Spinner } from '../ui/components';
import { useAbilities, useApiQuery } from './hooks';
import { TaskSelect } from './TaskSelect';

/** Contractors, filtered by skill, area, active, on shift and profile score (filters kept in the URL). */
export default function ContractorsList() {
  const { canManage } = useAbilities();
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const area = get('area').trim();
  const validArea = /^[A-Za-z0-9 ]{1,8}$/.test(area);
  const query = {
    q: get('q') || undefined,
    skill: get('skill') || undefined,
    area: validArea ? area : undefined,
    active: (get('active') || undefined) as 'true' | 'false' | undefined,
    onShift: (get('onShift') || undefined) as 'true' | 'false' | undefined,
    minScore: get('minScore') ? Number(get('minScore')) : undefined,
    limit: 200,
  };
  const list = useApiQuery(['contractors', query], () => call(api.GET('/api/contractors', { params: { query } })));
  return (
    <div>
      <div className="page-head">
        <h1>Contractors</h1>
        {list.data ? <span className="muted">{list.data.total} found</span> : null}
      </div>
      <form className="filters" role="search" aria-label="Filter contractors" onSubmit={(e) => e.preventDefault()}>
        <Field label="Name or postcode" htmlFor="c-q">
          <input id="c-q" value={get('q')} onChange={(e) => set('q', e.target.value)} />
        </Field>
        <Field label="Skill" htmlFor="c-skill">
          <TaskSelect id="c-skill" value={get('skill')} onChange={(v) => set('skill', v)} emptyLabel="Any skill" />
        </Field>
        <Field label="Area" hint="e.g. SW or SW11" htmlFor="c-area">
          <input id="c-area" value={get('area')} onChange={(e) => set('area', e.target.value)} aria-invalid={area !== '' && !validArea} />
        </Field>
        <Field label="Active" htmlFor="c-active">
          <select id="c-active" value={get('active')} onChange={(e) => set('active', e.target.value)}>
            <option value="">Any</option>
            <option value="true">Active</option>
            <option value="false">Inactive</option>
          </select>
        </Field>
        <Field label="On shift" htmlFor="c-shift">
          <select id="c-shift" value={get('onShift')} onChange={(e) => set('onShift', e.target.value)}>
            <option value="">Any</option>
            <option value="true">On shift</option>
            <option value="false">Off shift</option>
          </select>
        </Field>
        <Field label="Profile score at least" htmlFor="c-score">
          <select id="c-score" value={get('minScore')} onChange={(e) => set('minScore', e.target.value)}>
            <option value="">Any</option>
            <option value="80">80 % (matchable)</option>
            <option value="50">50 %</option>
          </select>
        </Field>
      </form>
      {list.isPending ? <Spinner /> : null}
      <ErrorAlert error={list.error} />
      {list.data ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Contractors</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Area</th>
                <th scope="col">Status</th>
                <th scope="col">Profile</th>
                {canManage ? <th scope="col">Skills</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.contractors.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/ops/contractors/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.postcode ?? '—'}</td>
                  <td>
                    {c.isActive ? <Badge tone="ok">active</Badge> : <Badge>inactive</Badge>}{' '}
                    {c.onShift ? <Badge tone="info">on shift</Badge> : null} {c.reactiveMode ? <Badge>urgent jobs</Badge> : null}
                  </td>
                  <td className="num">
                    <Badge tone={c.profileCompletionScore >= 80 ? 'ok' : 'warn'}>{c.profileCompletionScore}%</Badge>
                  </td>
                  {canManage ? (
                    <td>
                      <Link to={`/ops/contractors/${c.id}/skills`}>Edit skills</Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
