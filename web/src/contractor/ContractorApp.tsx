import { useEffect, type ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useMe, useSignOut } from '../api/session';
import { ApiError } from '../api/client';
import { ErrorAlert, Spinner } from '../ui/components';
import { AvailabilityScreen } from './AvailabilityScreen';
import { ContractorSignIn } from './CodeSignIn';
import { HistoryScreen } from './HistoryScreen';
import { useContractor, useOnline } from './hooks';
import { JobsScreen } from './JobsScreen';
import { OfferFeedProvider, useOfferFeed } from './offer-feed';
import { OfferPage, OffersScreen } from './OffersScreen';
import { ProfileScreen } from './ProfileScreen';
import { registerServiceWorker } from './pwa';
import { ShiftScreen } from './ShiftScreen';
import { SkillsScreen } from './SkillsScreen';
import './contractor.css';

function OfflineBanner() {
  return (
    <div className="offline-banner" role="status">
      <strong>You are offline.</strong> Offers and jobs need a connection; they will load again when you are back online.
    </div>
  );
}

function TabBar() {
  const feed = useOfferFeed();
  const n = feed.offers.length;
  return (
    <nav className="tabbar" aria-label="Contractor app">
      <NavLink to="/app" end>
        Shift
      </NavLink>
      <NavLink to="/app/offers">
        Offers
        {n ? (
          <span className="tab-count" aria-label={`${n} open`}>
            {n}
          </span>
        ) : null}
      </NavLink>
      <NavLink to="/app/jobs">Jobs</NavLink>
      <NavLink to="/app/history">History</NavLink>
      <NavLink to="/app/profile">Profile</NavLink>
    </nav>
  );
}

function Screens() {
  const contractor = useContractor();
  if (contractor.isPending) return <Spinner />;
  if (contractor.error) return <ErrorAlert error={contractor.error} />;
  const c = contractor.data;
  return (
    <Routes>
      <Route index element={<ShiftScreen contractor={c} />} />
      <Route path="offers" element={<OffersScreen contractor={c} />} />
      <Route path="offers/:id" element={<OfferPage />} />
      <Route path="jobs" element={<JobsScreen />} />
      <Route path="history" element={<HistoryScreen />} />
      <Route path="profile" element={<ProfileScreen contractor={c} />} />
      <Route path="skills" element={<SkillsScreen contractor={c} />} />
      <Route path="availability" element={<AvailabilityScreen contractor={c} />} />
      <Route path="*" element={<Navigate to="/app" replace />} />
    </Routes>
  );
}

function Shell({ children, signOut, online }: { children: ReactNode; signOut?: () => void; online: boolean }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="/app">
          Handy
        </a>
        <span className="spacer" />
        {signOut ? (
          <button className="btn" type="button" onClick={signOut}>
            Sign out
          </button>
        ) : null}
      </header>
      {online ? null : <OfflineBanner />}
      {children}
    </>
  );
}

/** The contractor app at /app: phone first, for the contractor role; installable, with an offline shell. */
export default function ContractorApp() {
  const me = useMe();
  const signOut = useSignOut();
  const online = useOnline();
  useEffect(registerServiceWorker, []);

  const offline = !online || (me.error instanceof ApiError && me.error.code === 'OFFLINE');
  if (me.isPending && online) return <Spinner />;
  if (offline && !me.data) {
    return (
      <Shell online={false}>
        <main className="narrow" id="main">
          <div className="card">
            <h1>Offline</h1>
            <p>Handy cannot be reached right now. Your offers, jobs and shift will appear as soon as you are back online.</p>
            <button className="btn btn-primary" type="button" onClick={() => window.location.reload()}>
              Try again
            </button>
          </div>
        </main>
      </Shell>
    );
  }
  if (me.error) return <ErrorAlert error={me.error} />;
  if (!me.data) return <ContractorSignIn />;
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
    <OfferFeedProvider enabled={online}>
      <Shell online={online} signOut={() => void signOut()}>
        <main className="narrow app-main" id="main">
          <Screens />
        </main>
        <TabBar />
      </Shell>
    </OfferFeedProvider>
  );
}
