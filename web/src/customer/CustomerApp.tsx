import { Route, Routes } from 'react-router';
import EnquiryPage from './EnquiryPage';
import JobPage from './JobPage';
import QuotePage from './QuotePage';
import VideoPage from './VideoPage';
import './customer.css';

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
        <Routes>
          <Route path="/q/:token" element={<QuotePage />} />
          <Route path="/j/:token" element={<JobPage />} />
          <Route path="/v/:token" element={<VideoPage />} />
          <Route path="/enquire" element={<EnquiryPage />} />
        </Routes>
      </main>
    </>
  );
}
