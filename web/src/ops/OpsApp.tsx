import { lazy, Suspense, type ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useMe, useSignOut, type Role } from '../api/session';
import { useMfaEnrolmentScreen } from '../ui/Mfa';
import { SignIn } from '../ui/SignIn';
import { ErrorAlert, Spinner } from '../ui/components';
import { useAbilities } from './hooks';
import './ops.css';

const Dashboard = lazy(() => import('./Dashboard'));
const LeadsInbox = lazy(() => import('./LeadsInbox'));
const LeadPage = lazy(() => import('./LeadPage'));
const QuoteBuilderPage = lazy(() => import('./QuoteBuilderPage'));
const EstimatorQueue = lazy(() => import('./EstimatorQueue'));
const ContractorsList = lazy(() => import('./ContractorsList'));
const ContractorPage = lazy(() => import('./ContractorPage'));
const ContractorSkillsPage = lazy(() => import('./ContractorSkillsPage'));
const CalendarPage = lazy(() => import('./CalendarPage'));
const DispatchBoard = lazy(() => import('./DispatchBoard'));
const PaymentsPage = lazy(() => import('./PaymentsPage'));
const BookingLedger = lazy(() => import('./BookingLedger'));
const ClosuresPage = lazy(() => import('./ClosuresPage'));
const StaffUsersPage = lazy(() => import('./StaffUsersPage'));

const STAFF: Role[] = ['admin', 'va', 'estimator'];

/** Admin screens: a VA or estimator who follows a link lands here, and the API refuses them anyway. */
function AdminOnly({ children }: { children: ReactNode }) {
  const { isAdmin } = useAbilities();
  if (isAdmin) return children;
  return (
    <div className="card">
      <h1>Admins only</h1>
      <p>This screen is for Handy admins. Ask an admin if you need a change made here.</p>
    </div>
  );
}

/** The staff console at /ops: signed in with the staff sessions, every screen role-aware. */
export default function OpsApp() {
  const me = useMe();
  const signOut = useSignOut();
  const enrolment = useMfaEnrolmentScreen(me.data?.mfaEnrolmentRequired);
  if (me.isPending) return <Spinner />;
  if (me.error) return <ErrorAlert error={me.error} />;
  if (!me.data) return <SignIn title="Handy ops console" />;
  // An admin without two-factor: the session may only enrol it, so that comes first.
  if (enrolment) return enrolment;
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
  const isAdmin = me.data.role === 'admin';
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
          <NavLink to="/ops/leads">Leads</NavLink>
          <NavLink to="/ops/estimator">Estimator queue</NavLink>
          <NavLink to="/ops/contractors">Contractors</NavLink>
          <NavLink to="/ops/calendar">Calendar</NavLink>
          <NavLink to="/ops/dispatch">Dispatch</NavLink>
          <NavLink to="/ops/payments">Payments</NavLink>
          {isAdmin ? (
            <>
              <NavLink to="/ops/closures">Closures</NavLink>
              <NavLink to="/ops/users">Staff users</NavLink>
            </>
          ) : null}
        </nav>
        <main className="main" id="main">
          <Suspense fallback={<Spinner />}>
            <Routes>
              <Route index element={<Dashboard />} />
              <Route path="leads" element={<LeadsInbox />} />
              <Route path="leads/:id" element={<LeadPage />} />
              <Route path="leads/:id/quote" element={<QuoteBuilderPage />} />
              <Route path="estimator" element={<EstimatorQueue />} />
              <Route path="estimator/:itemId/complete" element={<QuoteBuilderPage />} />
              <Route path="contractors" element={<ContractorsList />} />
              <Route path="contractors/:id" element={<ContractorPage />} />
              <Route path="contractors/:id/skills" element={<ContractorSkillsPage />} />
              <Route path="calendar" element={<CalendarPage />} />
              <Route path="dispatch" element={<DispatchBoard />} />
              <Route path="payments" element={<PaymentsPage />} />
              <Route path="bookings/:id" element={<BookingLedger />} />
              <Route
                path="closures"
                element={
                  <AdminOnly>
                    <ClosuresPage />
                  </AdminOnly>
                }
              />
              <Route
                path="users"
                element={
                  <AdminOnly>
                    <StaffUsersPage />
                  </AdminOnly>
                }
              />
              <Route path="*" element={<Navigate to="/ops" replace />} />
            </Routes>
          </Suspense>
        </main>
      </div>
    </>
  );
}
