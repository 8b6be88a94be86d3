import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { Spinner } from './ui/components';
import './ui/styles.css';

// Each area is its own chunk: a customer opening a quote link never downloads the ops console.
const OpsApp = lazy(() => import('./ops/OpsApp'));
const ContractorApp = lazy(() => import('./contractor/ContractorApp'));
const CustomerApp = lazy(() => import('./customer/CustomerApp'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; a dropped connection might.
      retry: (count, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

function NotFound() {
  return (
    <main className="narrow" id="main">
      <div className="card">
        <h1>Page not found</h1>
        <p>
          Staff: <a href="/ops">ops console</a>. Contractors: <a href="/app">contractor app</a>.
        </p>
      </div>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Suspense fallback={<Spinner />}>
          <Routes>
            <Route path="/ops/*" element={<OpsApp />} />
            <Route path="/app/*" element={<ContractorApp />} />
            {['/q/*', '/j/*', '/v/*', '/enquire'].map((path) => (
              <Route key={path} path={path} element={<CustomerApp />} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
