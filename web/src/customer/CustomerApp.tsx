import { useLocation, useParams } from 'react-router';
import EnquiryPage from './EnquiryPage';
import JobPage from './JobPage';
import QuotePage from './QuotePage';
import VideoPage from './VideoPage';
import './customer.css';

/** The page for this path; the token is the rest of it (`/q/{token}`, `/j/{token}`, `/v/{token}`). */
function Page() {
  const { pathname } = useLocation();
  const token = (useParams()['*'] ?? '').split('/')[0]!;
  if (pathname === '/enquire') return <EnquiryPage />;
  if (!token) return <p>This link is incomplete. Open the link from your message again.</p>;
  if (pathname.startsWith('/q/')) return <QuotePage token={token} />;
  if (pathname.startsWith('/j/')) return <JobPage token={token} />;
  return <VideoPage token={token} />;
}

/** Every page a customer reaches from a link we send them, plus the public enquiry form. */
export default function CustomerApp() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Handy</span>
      </header>
      <main className="narrow customer" id="main">
        <Page />
      </main>
    </>
  );
}
