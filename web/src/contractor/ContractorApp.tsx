import { Navigate, Route, Routes } from 'react-router';
import { useMe, useSignOut } from '../api/session';
import { SignIn } from '../ui/SignIn';
import { ErrorAlert, Spinner } from '../ui/components';

/** The contractor app at /app: phone first, for the contractor role. */
export default function ContractorApp() {
  const me = useMe();
  const signOut = useSignOut();
  if (me.isPending) return <Spinner />;
  if (me.error) return <ErrorAlert error={me.error} />;
  if (!me.data) return <SignIn title="Handy for contractors" />;
  if (me.data.role !== 'contractor') {
    return (
      <main className="narrow" id="main">
        <div className="card">
          <h1>Contractors only</h1>
          <p>This app is for Handy contractors. Staff use the ops console.</p>
          <a className="btn" href="/ops">
            Open the ops console
          </a>
        </div>
      </main>
    );
  }
  return (
    <>
      <header className="topbar">
        <a className="brand" href="/app">
          Handy
        </a>
        <span className="spacer" />
        <button className="btn" type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main className="narrow" id="main">
        <Routes>
          <Route index element={<h1>Hello {me.data.name}</h1>} />
          <Route path="*" element={<Navigate to="/app" replace />} />
        </Routes>
      </main>
    </>
  );
}
