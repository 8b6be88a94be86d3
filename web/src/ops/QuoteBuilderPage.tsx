import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, money, Spinner } from '../ui/components';
import { ActionButton } from './ActionButton';
import type { Quote } from './api-types';
import { useApiQuery } from './hooks';
import { QuoteBuilder } from './QuoteBuilder';

/**
 * The quote builder for a lead (/ops/leads/:id/quote) or for an estimator completing a claimed
 * queue item (/ops/estimator/:itemId/complete): the same builder, a different save.
 */
export default function QuoteBuilderPage() {
  const { id, itemId } = useParams();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const queue = useApiQuery(['estimator-queue'], () => call(api.GET('/api/estimator/queue')), { enabled: !!itemId });
  const item = queue.data?.items.find((i) => i.id === itemId);
  const [saved, setSaved] = useState<Quote | null>(null);
  // Once saved, the completed item leaves the queue; the saved quote still names its lead.
  const leadId = id ?? item?.leadId ?? saved?.leadId ?? '';
  const lead = useApiQuery(['lead', leadId], () => call(api.GET('/api/leads/{id}', { params: { path: { id: leadId } } })), {
    enabled: !!leadId,
  });

  if (itemId && queue.isPending) return <Spinner />;
  if (itemId && queue.data && !item && !saved) return <Alert kind="warn">This queue item is no longer open.</Alert>;
  if (!leadId || lead.isPending) return <Spinner />;
  if (lead.error) return <ErrorAlert error={lead.error} />;
  const l = lead.data.lead as Record<string, unknown>;

  const save = async (body: Parameters<Parameters<typeof QuoteBuilder>[0]['onSubmit']>[0]) => {
    const r = itemId
      ? await call(api.POST('/api/estimator/queue/{id}/complete', { params: { path: { id: itemId } }, body }))
      : await call(api.POST('/api/leads/{id}/quotes', { params: { path: { id: leadId } }, body }));
    setSaved(r.quote);
    await qc.invalidateQueries();
  };

  return (
    <div className="stack">
      <div className="page-head">
        <h1>
          {itemId ? 'Complete estimate' : 'Quote'} for {String(l.customerName)}
        </h1>
        <Link to={`/ops/leads/${leadId}`}>Back to the lead</Link>
      </div>
      <p className="muted">
        {String(l.description)} ({String(l.postcode)}, {String(l.customerType)})
      </p>
      {saved ? (
        <div className="card stack">
          <Alert kind="ok">
            Quote v{saved.version} saved: {money(saved.totalPence)}, deposit {money(saved.depositPence)}.
          </Alert>
          <div className="actions">
            <ActionButton
              label="Send to the customer"
              tone="primary"
              done="Sent: the customer has the link."
              run={() => call(api.POST('/api/quotes/{id}/send', { params: { path: { id: saved.id } } }))}
            />
            <button type="button" className="btn" onClick={() => navigate(`/ops/leads/${leadId}`)}>
              Open the lead
            </button>
            <button type="button" className="btn" onClick={() => setSaved(null)}>
              Make another version
            </button>
          </div>
        </div>
      ) : (
        <QuoteBuilder
          leadId={leadId}
          versions={lead.data.quotes}
          submitLabel={itemId ? 'Complete with this quote' : `Save quote v${(lead.data.quotes[0]?.version ?? 0) + 1}`}
          onSubmit={save}
        />
      )}
    </div>
  );
}
