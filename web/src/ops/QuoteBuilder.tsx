import { useEffect, useId, useMemo, useState } from 'react';
import { api, call } from '../api/client';
import { ErrorAlert, Field, money, Spinner } from '../ui/components';
import type { Quote, QuoteInput, Sku } from './api-types';
import { useApiQuery } from './hooks';

type Style = QuoteInput['style'];
type Row = { skuCode: string; description: string; price: string; quantity: number };
type TierKey = 'handy_fix' | 'hassle_free' | 'high_standard';
const TIER_NAMES: Record<TierKey, string> = { handy_fix: 'Handy Fix', hassle_free: 'Hassle-Free', high_standard: 'High Standard' };
const TIER_DEFAULTS: Record<TierKey, { multiplier: number; warrantyMonths: number }> = {
  handy_fix: { multiplier: 1, warrantyMonths: 1 },
  hassle_free: { multiplier: 1.3, warrantyMonths: 6 },
  high_standard: { multiplier: 1.6, warrantyMonths: 12 },
};
const blank = (): Row => ({ skuCode: '', description: '', price: '', quantity: 1 });

/** Pounds typed by staff to whole pence ("12.5" -> 1250); empty or bad input is undefined. */
export function toPence(pounds: string): number | undefined {
  const t = pounds.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return undefined;
  return Math.round(Number(t) * 100);
}

function toItems(rows: Row[]) {
  return rows
    .filter((r) => r.skuCode || (r.description.trim() && toPence(r.price)))
    .map((r) => ({
      ...(r.skuCode ? { skuCode: r.skuCode } : {}),
      ...(r.description.trim() ? { description: r.description.trim() } : {}),
      ...(toPence(r.price) ? { pricePence: toPence(r.price) } : {}),
      quantity: r.quantity,
    }));
}

function fromQuote(items: Quote['lineItems']): Row[] {
  return items.map((i) => ({
    skuCode: i.skuCode ?? '',
    description: i.skuCode ? '' : i.description,
    price: i.skuCode ? '' : (i.pricePence / 100).toFixed(2),
    quantity: i.quantity,
  }));
}

/**
 * The quote builder: fixed, fixed + optionals or three tiers, from the SKU price list or custom
 * items. Every change is priced by the server (the same code that saves the quote), so what staff
 * see is what the customer will be charged, modifiers and deposit included.
 */
export function QuoteBuilder({
  leadId,
  versions,
  submitLabel,
  onSubmit,
}: {
  leadId: string;
  versions: Quote[];
  submitLabel: string;
  onSubmit: (body: QuoteInput) => Promise<void>;
}) {
  const skus = useApiQuery(['skus'], () => call(api.GET('/api/skus')));
  const [style, setStyle] = useState<Style>('fixed');
  const [lines, setLines] = useState<Row[]>([blank()]);
  const [optionals, setOptionals] = useState<Row[]>([]);
  const [tiers, setTiers] = useState(TIER_DEFAULTS);
  // What each tier adds on top of the line items (e.g. High Standard: a new trap and waste kit).
  const [tierExtras, setTierExtras] = useState<Record<TierKey, Row[]>>({ handy_fix: [], hassle_free: [], high_standard: [] });
  const [deposit, setDeposit] = useState('');
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);

  const body: QuoteInput = useMemo(
    () => ({
      style,
      lineItems: toItems(lines),
      optionalItems: style === 'fixed_optionals' ? toItems(optionals) : [],
      ...(style === 'hhh'
        ? {
            tiers: (Object.keys(tiers) as TierKey[]).map((key) => ({
              key,
              multiplier: tiers[key].multiplier,
              warrantyMonths: tiers[key].warrantyMonths,
              extraItems: toItems(tierExtras[key]),
            })),
          }
        : {}),
      ...(deposit.trim() !== '' && Number.isInteger(Number(deposit)) ? { depositPercent: Number(deposit) } : {}),
    }),
    [style, lines, optionals, tiers, tierExtras, deposit],
  );
  const bodyKey = JSON.stringify(body);
  const [debounced, setDebounced] = useState(bodyKey);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(bodyKey), 250);
    return () => clearTimeout(t);
  }, [bodyKey]);
  const preview = useApiQuery(
    ['quote-preview', leadId, debounced],
    () => call(api.POST('/api/leads/{id}/quotes/preview', { params: { path: { id: leadId } }, body: JSON.parse(debounced) as QuoteInput })),
    // The debounced body is what gets sent: an empty one is not a question worth asking.
    { enabled: body.lineItems.length > 0 && (JSON.parse(debounced) as QuoteInput).lineItems.length > 0 },
  );

  const loadVersion = (q: Quote) => {
    setStyle(q.style);
    setLines(q.lineItems.length ? fromQuote(q.lineItems) : [blank()]);
    setOptionals(fromQuote(q.optionalItems));
    if (q.tiers.length) {
      const next = { ...TIER_DEFAULTS };
      const extras: Record<TierKey, Row[]> = { handy_fix: [], hassle_free: [], high_standard: [] };
      for (const t of q.tiers)
        if (t.key in next) {
          next[t.key as TierKey] = { multiplier: t.multiplier, warrantyMonths: t.warrantyMonths };
          extras[t.key as TierKey] = fromQuote(t.extraItems);
        }
      setTiers(next);
      setTierExtras(extras);
    }
    setDeposit(String(q.depositPercent));
  };

  const submit = async () => {
    setBusy(true);
    setSaveError(null);
    try {
      await onSubmit(body);
    } catch (e) {
      setSaveError(e);
    } finally {
      setBusy(false);
    }
  };

  if (skus.isPending) return <Spinner />;
  const p = preview.data?.preview;
  return (
    <div className="split">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {versions.length ? (
          <section className="card" aria-labelledby="qb-versions">
            <h2 id="qb-versions">Versions</h2>
            <ul>
              {versions.map((v) => (
                <li key={v.id}>
                  v{v.version} ({v.status}, {v.style}, {money(v.totalPence)}){' '}
                  <button type="button" className="btn" onClick={() => loadVersion(v)}>
                    Start from v{v.version}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <fieldset className="card">
          <legend>Quote style</legend>
          {(
            [
              ['fixed', 'Fixed price'],
              ['fixed_optionals', 'Fixed price with optional extras'],
              ['hhh', 'Three tiers (Handy Fix / Hassle-Free / High Standard)'],
            ] as [Style, string][]
          ).map(([value, label]) => (
            <label key={value} className="radio">
              <input type="radio" name="style" value={value} checked={style === value} onChange={() => setStyle(value)} /> {label}
            </label>
          ))}
        </fieldset>
        <ItemsEditor title="Line items" addLabel="Add a line item" rows={lines} setRows={setLines} skus={skus.data?.skus ?? []} />
        {style === 'fixed_optionals' ? (
          <ItemsEditor
            title="Optional extras"
            addLabel="Add an optional extra"
            rows={optionals}
            setRows={setOptionals}
            skus={skus.data?.skus ?? []}
          />
        ) : null}
        {style === 'hhh' ? (
          <fieldset className="card">
            <legend>Tiers</legend>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Tier</th>
                  <th scope="col">Multiplier</th>
                  <th scope="col">Warranty (months)</th>
                </tr>
              </thead>
              <tbody>
                {(Object.keys(tiers) as TierKey[]).map((k) => (
                  <tr key={k}>
                    <th scope="row">{TIER_NAMES[k]}</th>
                    <td>
                      <input
                        aria-label={`${TIER_NAMES[k]} multiplier`}
                        type="number"
                        step="0.05"
                        min="0.5"
                        max="5"
                        value={tiers[k].multiplier}
                        onChange={(e) => setTiers({ ...tiers, [k]: { ...tiers[k], multiplier: Number(e.target.value) } })}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`${TIER_NAMES[k]} warranty in months`}
                        type="number"
                        min="0"
                        max="120"
                        value={tiers[k].warrantyMonths}
                        onChange={(e) => setTiers({ ...tiers, [k]: { ...tiers[k], warrantyMonths: Number(e.target.value) } })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
        ) : null}
        {style === 'hhh'
          ? (Object.keys(tiers) as TierKey[]).map((k) => (
              <ItemsEditor
                key={k}
                title={`${TIER_NAMES[k]} extras`}
                addLabel={`Add a ${TIER_NAMES[k]} extra`}
                rows={tierExtras[k]}
                setRows={(rows) => setTierExtras((all) => ({ ...all, [k]: rows }))}
                skus={skus.data?.skus ?? []}
              />
            ))
          : null}
        <div className="card">
          <Field label="Deposit percent" hint="empty: the default" htmlFor="qb-deposit">
            <input id="qb-deposit" type="number" min="0" max="100" value={deposit} onChange={(e) => setDeposit(e.target.value)} />
          </Field>
          <ErrorAlert error={saveError} />
          <button className="btn btn-primary" type="submit" disabled={busy || body.lineItems.length === 0 || !!preview.error}>
            {busy ? 'Saving…' : submitLabel}
          </button>
        </div>
      </form>
      <aside className="card price-panel" aria-labelledby="qb-price" aria-live="polite">
        <h2 id="qb-price">Server price</h2>
        {body.lineItems.length === 0 ? <p className="muted">Add an item to see the price.</p> : null}
        {preview.isFetching ? <Spinner label="Pricing" /> : null}
        <ErrorAlert error={preview.error} />
        {p && body.lineItems.length ? (
          <div className="stack">
            <ul>
              {p.lineItems.map((i) => (
                <li key={i.id}>
                  {i.description} ×{i.quantity}: {money(i.pricePence * i.quantity)}
                </li>
              ))}
            </ul>
            {p.modifierPercent !== 100 ? (
              <p>
                Customer type {p.customerType}: ×{p.modifierPercent}%
              </p>
            ) : null}
            {p.style === 'hhh' ? (
              <div className="tier-prices">
                {p.tiers.map((t) => (
                  <div key={t.key} className={t.popular ? 'popular' : undefined}>
                    <strong>{t.name}</strong>
                    <div className="big-money" data-testid={`tier-${t.key}`}>
                      {money(t.totalPence)}
                    </div>
                    <div className="muted">
                      deposit {money(t.depositPence)}, {t.warrantyMonths} months
                    </div>
                  </div>
                ))}
              </div>
            ) : (
              <>
                <p>
                  Total{' '}
                  <span className="big-money" data-testid="quote-total">
                    {money(p.totalPence)}
                  </span>
                </p>
                <p>
                  Deposit ({p.depositPercent}%) <strong data-testid="quote-deposit">{money(p.depositPence)}</strong>
                </p>
                {p.withAllOptionals ? <p>With every optional extra: {money(p.withAllOptionals.totalPence)}</p> : null}
              </>
            )}
          </div>
        ) : null}
      </aside>
    </div>
  );
}

function ItemsEditor({
  title,
  addLabel,
  rows,
  setRows,
  skus,
}: {
  title: string;
  addLabel: string;
  rows: Row[];
  setRows: (r: Row[]) => void;
  skus: Sku[];
}) {
  const id = useId();
  const byCategory = useMemo(() => {
    const m = new Map<string, Sku[]>();
    for (const s of skus) m.set(s.category, [...(m.get(s.category) ?? []), s]);
    return [...m];
  }, [skus]);
  const update = (i: number, patch: Partial<Row>) => setRows(rows.map((r, n) => (n === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="card">
      <legend>{title}</legend>
      <table className="data items">
        <thead>
          <tr>
            <th scope="col">Price-list item</th>
            <th scope="col">Description (custom)</th>
            <th scope="col">Price £</th>
            <th scope="col">Qty</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <select
                  aria-label={`${title} ${i + 1}: price-list item`}
                  id={`${id}-sku-${i}`}
                  value={r.skuCode}
                  onChange={(e) => update(i, { skuCode: e.target.value })}
                >
                  <option value="">Custom item</option>
                  {byCategory.map(([cat, list]) => (
                    <optgroup key={cat} label={cat}>
                      {list.map((s) => (
                        <option key={s.code} value={s.code}>
                          {s.name} ({money(s.pricePence)})
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </td>
              <td>
                <input
                  aria-label={`${title} ${i + 1}: description`}
                  value={r.description}
                  placeholder={r.skuCode ? 'price-list name' : ''}
                  onChange={(e) => update(i, { description: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`${title} ${i + 1}: price in pounds`}
                  inputMode="decimal"
                  value={r.price}
                  placeholder={r.skuCode ? 'list price' : '0.00'}
                  onChange={(e) => update(i, { price: e.target.value })}
                />
              </td>
              <td>
                <input
                  aria-label={`${title} ${i + 1}: quantity`}
                  type="number"
                  min={1}
                  max={100}
                  value={r.quantity}
                  onChange={(e) => update(i, { quantity: Math.max(1, Number(e.target.value) || 1) })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="btn"
                  aria-label={`Remove ${title.toLowerCase()} ${i + 1}`}
                  onClick={() => setRows(rows.filter((_r, n) => n !== i))}
                >
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="btn" onClick={() => setRows([...rows, blank()])}>
        {addLabel}
      </button>
    </fieldset>
  );
}
