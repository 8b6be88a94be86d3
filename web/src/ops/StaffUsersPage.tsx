import { useState } from 'react';
import { api, call } from '../api/client';
import { Alert, Badge, ErrorAlert, Field, Spinner } from '../ui/components';
import { useAction, useApiQuery } from './hooks';

type StaffRole = 'admin' | 'va' | 'estimator';

/** Staff accounts: who can sign in to the console, and adding one. */
export default function StaffUsersPage() {
  const list = useApiQuery(['users'], () => call(api.GET('/api/users')));
  const [form, setForm] = useState({ name: '', email: '', role: 'va' as StaffRole, password: '' });
  const create = useAction(
    () => call(api.POST('/api/users', { body: form })),
    () => setForm({ name: '', email: '', role: 'va', password: '' }),
  );
  return (
    <div className="stack">
      <h1>Staff users</h1>
      {list.isPending ? <Spinner /> : null}
      <ErrorAlert error={list.error} />
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.users ?? [])
              .filter((u) => u.role !== 'contractor')
              .map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{u.isActive ? <Badge tone="ok">active</Badge> : <Badge>disabled</Badge>}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(undefined);
        }}
      >
        <h2>Add a staff account</h2>
        <Field label="Name" htmlFor="u-name">
          <input id="u-name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </Field>
        <Field label="Email" htmlFor="u-email">
          <input id="u-email" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </Field>
        <Field label="Role" htmlFor="u-role">
          <select id="u-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })}>
            <option value="va">VA</option>
            <option value="estimator">Estimator</option>
            <option value="admin">Admin</option>
          </select>
        </Field>
        <Field label="Password" hint="at least 10 characters" htmlFor="u-password">
          <input
            id="u-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </Field>
        {create.isSuccess ? <Alert kind="ok">Account created.</Alert> : null}
        <ErrorAlert error={create.error} />
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          Create account
        </button>
      </form>
    </div>
  );
}
