import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert, Field } from '../ui/components';
import { CompletionMeter } from './CompletionMeter';
import { useContractorChange } from './hooks';
import type { Contractor } from './types';

type CertType = 'gas_safe' | 'part_p' | 'niceic' | 'other';
type Cert = { type: CertType; number: string; authority: string; expiresOn: string };
const CERT_TYPES: { value: CertType; label: string }[] = [
  { value: 'gas_safe', label: 'Gas Safe' },
  { value: 'part_p', label: 'Part P (electrical)' },
  { value: 'niceic', label: 'NICEIC' },
  { value: 'other', label: 'Other' },
];

const orNull = (s: string) => (s.trim() ? s.trim() : null);

function ProfileForm({ contractor }: { contractor: Contractor }) {
  const [f, setF] = useState({
    name: contractor.name,
    phone: contractor.phone ?? '',
    email: contractor.email ?? '',
    postcode: contractor.postcode ?? '',
    radiusMiles: String(contractor.radiusMiles),
    bio: contractor.bio ?? '',
  });
  const [saved, setSaved] = useState(false);
  const save = useContractorChange(() =>
    call(
      api.PATCH('/api/me', {
        body: {
          name: f.name.trim(),
          phone: orNull(f.phone),
          email: orNull(f.email),
          postcode: orNull(f.postcode),
          radiusMiles: Number(f.radiusMiles),
          bio: orNull(f.bio),
        },
      }),
    ),
  );
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => {
    setSaved(false);
    setF({ ...f, [k]: e.target.value });
  };
  async function submit(e: FormEvent) {
    e.preventDefault();
    await save
      .mutateAsync(undefined)
      .then(() => setSaved(true))
      .catch(() => undefined);
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="details-title">
      <h2 id="details-title">Your details</h2>
      <Field label="Name" htmlFor="name">
        <input id="name" autoComplete="name" required value={f.name} onChange={set('name')} />
      </Field>
      <Field label="Mobile phone" htmlFor="phone">
        <input id="phone" type="tel" autoComplete="tel" inputMode="tel" value={f.phone} onChange={set('phone')} />
      </Field>
      <Field label="Email" htmlFor="email">
        <input id="email" type="email" autoComplete="email" value={f.email} onChange={set('email')} />
      </Field>
      <div className="row two">
        <Field label="Home postcode" htmlFor="postcode">
          <input id="postcode" autoComplete="postal-code" value={f.postcode} onChange={set('postcode')} />
        </Field>
        <Field label="Travel radius" hint="miles" htmlFor="radius">
          <input id="radius" type="number" inputMode="numeric" min={1} max={200} value={f.radiusMiles} onChange={set('radiusMiles')} />
        </Field>
      </div>
      <Field label="About you" hint="what customers see" htmlFor="bio">
        <textarea id="bio" rows={3} maxLength={2000} value={f.bio} onChange={set('bio')} />
      </Field>
      <ErrorAlert error={save.error} />
      {saved ? <Alert kind="ok">Saved.</Alert> : null}
      <button className="btn btn-primary" type="submit" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save details'}
      </button>
    </form>
  );
}

function CertificationsForm({ contractor }: { contractor: Contractor }) {
  const [list, setList] = useState<Cert[]>(
    contractor.certifications.map((c) => ({
      type: c.type as CertType,
      number: c.number,
      authority: c.authority ?? '',
      expiresOn: c.expiresOn ?? '',
    })),
  );
  const [saved, setSaved] = useState(false);
  const save = useContractorChange(() =>
    call(
      api.PUT('/api/me/certifications', {
        body: {
          certifications: list.map((c) => ({
            type: c.type,
            number: c.number.trim(),
            authority: orNull(c.authority),
            region: null,
            expiresOn: c.expiresOn || null,
          })),
        },
      }),
    ),
  );
  const change = (i: number, patch: Partial<Cert>) => {
    setSaved(false);
    setList(list.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  };
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form
      className="card"
      id="certifications"
      aria-labelledby="certs-title"
      onSubmit={(e) => {
        e.preventDefault();
        save
          .mutateAsync(undefined)
          .then(() => setSaved(true))
          .catch(() => undefined);
      }}
    >
      <h2 id="certs-title">Certifications</h2>
      <p className="muted">Gas and electrical jobs need a certificate that is valid on the day of the job.</p>
      {list.map((c, i) => (
        <fieldset key={i} className="cert">
          <legend>
            Certification {i + 1}
            {c.expiresOn && c.expiresOn < today ? ' (expired)' : ''}
          </legend>
          <Field label="Type" htmlFor={`cert-type-${i}`}>
            <select id={`cert-type-${i}`} value={c.type} onChange={(e) => change(i, { type: e.target.value as CertType })}>
              {CERT_TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Registration number" htmlFor={`cert-number-${i}`}>
            <input id={`cert-number-${i}`} value={c.number} onChange={(e) => change(i, { number: e.target.value })} />
          </Field>
          <Field label="Issued by" hint="optional" htmlFor={`cert-authority-${i}`}>
            <input id={`cert-authority-${i}`} value={c.authority} onChange={(e) => change(i, { authority: e.target.value })} />
          </Field>
          <Field label="Expires on" htmlFor={`cert-expiry-${i}`}>
            <input id={`cert-expiry-${i}`} type="date" value={c.expiresOn} onChange={(e) => change(i, { expiresOn: e.target.value })} />
          </Field>
          <button className="btn" type="button" onClick={() => setList(list.filter((_, j) => j !== i))}>
            Remove
          </button>
        </fieldset>
      ))}
      <div className="row">
        <button
          className="btn"
          type="button"
          onClick={() => setList([...list, { type: 'gas_safe', number: '', authority: '', expiresOn: '' }])}
        >
          Add a certification
        </button>
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>
          Save certifications
        </button>
      </div>
      <ErrorAlert error={save.error} />
      {saved ? <Alert kind="ok">Certifications saved.</Alert> : null}
    </form>
  );
}

/** Onboarding: details, certifications, and what is still missing to reach 80 %. */
export function ProfileScreen({ contractor }: { contractor: Contractor }) {
  return (
    <section aria-labelledby="profile-title" className="stack">
      <h1 id="profile-title">Your profile</h1>
      <CompletionMeter contractor={contractor} />
      <nav className="row subnav" aria-label="Profile sections">
        <Link className="btn" to="/app/skills">
          Skills ({contractor.skills.length})
        </Link>
        <Link className="btn" to="/app/availability">
          Availability
        </Link>
        <Link className="btn" to="/app/history">
          History
        </Link>
      </nav>
      <ProfileForm contractor={contractor} />
      <CertificationsForm contractor={contractor} />
    </section>
  );
}
