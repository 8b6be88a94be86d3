import { h } from './dom.js';

const token = location.pathname.split('/').filter(Boolean).pop();
const api = (path, init = {}) => fetch(`/api/q/${token}${path}`, init).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : await r.json() }));
const key = 'handy-session';
const session = localStorage.getItem(key) || (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).replace(/-/g, '');
localStorage.setItem(key, session);
const pounds = (p) => `£${(p / 100).toFixed(2)}`;
const json = { 'content-type': 'application/json' };
const app = document.getElementById('app');
let quote, hold = null, timer;

function message(text, kind = 'notice') {
  app.querySelector('#status').replaceChildren(h('p', { class: kind, role: 'status' }, text));
}

async function load() {
  const r = await api('');
  if (r.status !== 200) {
    const e = r.body.error;
    // Only our own relative /q/ links are followed, whatever the server sent.
    const latest = typeof e.details?.latestUrl === 'string' ? new URL(e.details.latestUrl, location.origin) : null;
    const safe = latest && latest.pathname.startsWith('/q/') ? latest.pathname : null;
    app.replaceChildren(h('div', { class: 'notice error' }, h('p', {}, e.message), safe && h('p', {}, h('a', { href: safe }, 'Open the latest version'))));
    return;
  }
  quote = r.body.quote;
  render();
  if (quote.status === 'accepted') return message('This quote has been booked. Thank you!');
  await loadDays();
}

function tierChoice(t) {
  return h('label', { class: t.popular ? 'tier popular' : 'tier' },
    h('input', { type: 'radio', name: 'tier', value: t.key, checked: quote.selection.tier === t.key, onchange: choose }),
    ' ', h('strong', {}, t.name), ' ', t.popular && h('span', { class: 'badge' }, 'Most popular'),
    h('br'), pounds(t.totalPence), h('br'), h('small', {}, `${t.warrantyMonths}-month workmanship warranty`));
}

function optionChoice(o) {
  return [h('label', {},
    h('input', { type: 'checkbox', name: 'option', value: o.id, checked: quote.selection.optionalItemIds.includes(o.id), onchange: choose }),
    ` ${o.description} (+${pounds(o.pricePence * o.quantity)})`), h('br')];
}

function render() {
  const items = quote.lineItems.map((i) => h('tr', {}, h('td', {}, `${i.quantity} x ${i.description}`), h('td', { class: 'money' }, pounds(i.pricePence * i.quantity))));
  app.replaceChildren(h('div', {},
    h('h1', {}, 'Your quote'),
    h('table', {}, h('tbody', {}, items)),
    quote.style === 'hhh' && [h('h2', {}, 'Choose your level'), h('div', { class: 'tiers' }, quote.tiers.map(tierChoice))],
    quote.style === 'fixed_optionals' && [h('h2', {}, 'Optional extras'), quote.optionalItems.map(optionChoice)],
    h('p', {},
      h('strong', {}, 'Total ', h('span', { id: 'total' }, pounds(quote.totalPence))), ', deposit today ',
      h('strong', { id: 'deposit' }, pounds(quote.depositPence)), '. ',
      h('small', {}, `Valid until ${new Date(quote.expiresAt).toLocaleString('en-GB')}`)),
    h('h2', {}, 'Pick a date'), h('div', { id: 'days', class: 'days' }),
    h('div', { id: 'pay' }), h('div', { id: 'status' })));
}

async function choose() {
  const tier = app.querySelector('input[name=tier]:checked')?.value ?? null;
  const optionalItemIds = [...app.querySelectorAll('input[name=option]:checked')].map((i) => i.value);
  const r = await api('/selection', { method: 'PUT', headers: json, body: JSON.stringify({ tier, optionalItemIds }) });
  if (r.status !== 200) return message(r.body.error.message, 'notice error');
  quote = r.body.quote;
  app.querySelector('#total').textContent = pounds(quote.totalPence);
  app.querySelector('#deposit').textContent = pounds(quote.depositPence);
}

async function loadDays() {
  const r = await api(`/availability?sessionId=${encodeURIComponent(session)}`);
  if (r.status !== 200) return message(r.body.error.message, 'notice error');
  const days = r.body.days.filter((d) => d.slots.some((s) => s.bookable)).map((d) => h('div', { class: 'day' },
    h('div', {}, new Date(d.date + 'T12:00:00Z').toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })),
    d.slots.map((s) => [' ', h('button', { disabled: s.contractorCount === 0, onclick: () => holdSlot(d.date, s.slot) }, s.slot === 'am' ? 'Morning' : 'Afternoon')])));
  app.querySelector('#days').replaceChildren(...days);
}

async function holdSlot(date, slot) {
  const r = await api('/holds', { method: 'POST', headers: json, body: JSON.stringify({ sessionId: session, date, slot }) });
  if (r.status >= 300) return message(r.body.error.message, 'notice error');
  hold = r.body.hold;
  clearInterval(timer);
  const tick = () => {
    const left = Math.max(0, Math.round((new Date(hold.expiresAt) - Date.now()) / 1000));
    message(`Held for you: ${hold.date} ${hold.slot === 'am' ? 'morning' : 'afternoon'}. ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left to pay the deposit.`);
  };
  tick();
  timer = setInterval(tick, 1000);
  await showPayment();
}

function loadStripe() {
  return new Promise((ok, fail) => document.head.append(h('script', { src: 'https://js.stripe.com/v3/', onload: ok, onerror: fail })));
}

async function payByCard(pay, cfg) {
  const button = h('button', { class: 'primary' }, `Pay ${pounds(quote.depositPence)}`);
  pay.replaceChildren(h('div', {}, h('h2', {}, 'Pay the deposit'), h('div', { id: 'card' }), button));
  const r = await api('/checkout', { method: 'POST', headers: { ...json, 'idempotency-key': `checkout-${session}-${hold.holdId}` }, body: JSON.stringify({ sessionId: session, paymentMethod: 'card' }) });
  if (r.status !== 201) return message(r.body.error.message, 'notice error');
  await loadStripe();
  const stripe = window.Stripe(cfg.publishableKey);
  const elements = stripe.elements({ clientSecret: r.body.payment.clientSecret });
  elements.create('payment').mount('#card');
  button.addEventListener('click', async () => {
    const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: `${location.origin}${location.pathname}?paid=1` } });
    if (error) message(error.message, 'notice error');
  });
}

function payByTransfer(pay) {
  const form = h('form', { id: 'receipt' },
    h('h2', {}, 'Pay by bank transfer'),
    h('p', {}, `Transfer ${pounds(quote.depositPence)} and upload a photo or PDF of the receipt.`),
    h('input', { type: 'file', name: 'receipt', accept: 'image/*,application/pdf', required: true }), ' ',
    h('button', { class: 'primary' }, 'Send receipt and book'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = new FormData();
    body.append('sessionId', session);
    body.append('receipt', form.receipt.files[0]);
    const r = await api('/receipt', { method: 'POST', headers: { 'idempotency-key': `receipt-${session}-${hold.holdId}` }, body });
    clearInterval(timer);
    if (r.status !== 201) return message(r.body.error.message, 'notice error');
    pay.replaceChildren();
    app.querySelector('#days').replaceChildren();
    message(`Booked for ${r.body.booking.date} (${r.body.booking.slot === 'am' ? 'morning' : 'afternoon'}). We will confirm as soon as we see your transfer.`);
  });
  pay.replaceChildren(form);
}

async function showPayment() {
  const cfg = await fetch('/api/payments/config').then((r) => r.json());
  const pay = app.querySelector('#pay');
  if (cfg.cardPayments) await payByCard(pay, cfg);
  else payByTransfer(pay);
}

if (new URLSearchParams(location.search).has('paid')) {
  app.replaceChildren(h('div', {}, h('h1', {}, 'Thank you'), h('div', { id: 'status' })));
  message('Payment received: your booking is being confirmed.');
} else {
  void load();
}
