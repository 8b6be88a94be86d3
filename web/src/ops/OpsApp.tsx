import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useMe, useSignOut, type Role } from '../api/session';
import { SignIn } from '../ui/SignIn';
import { ErrorAlert, Spinner } from '../ui/components';

const STAFF: Role[] = ['admin', 'va', 'estimator'];

/** The staff console at /ops: signed in with the staff sessions, every screen role-aware. */
export default function OpsApp() {
  const me = useMe();
  const signOut = useSignOut();
  if (me.isPending) return <Spinner />;
  if (me.error) return <ErrorAlert error={me.error} />;
  if (!me.data) return <SignIn title="Handy ops console" />;
  if (!STAFF.includes(me.data.role)) {
    return (
      <main className="narrow" id="main">
        <div className="card">
          <h1>Staff only</h1>
          <p>The ops console is for Handy staff. Contractors use the contractor app.</p>
          <a className="btn" href="/app">
            Open the contractor app
          </a>
        </div>
      </main>
    );
  }
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="/ops">
          Handy ops
        </a>
        <span className="spacer" />
        <span>
          {me.data.name} ({me.data.role})
        </span>
        <button className="btn" type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <div className="shell">
        <nav className="sidenav" aria-label="Ops console">
          <NavLink to="/ops" end>
            Dashboard
          </NavLink>
        </nav>
        <main className="main" id="main">
          <Routes>
            <Route index element={<h1>Dashboard</h1>} />
            <Route path="*" element={<Navigate to="/ops" replace />} />
          </Routes>
        </main>
      </div>
    </>
  );
}
