import { h } from './dom.js';

const token = location.pathname.split('/').filter(Boolean).pop();
const status = document.getElementById('status');
const say = (text) => status.replaceChildren(h('p', { class: 'notice' }, text));

document.getElementById('f').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData();
  if (ev.target.transcript.value.trim()) form.append('transcript', ev.target.transcript.value.trim());
  form.append('video', ev.target.video.files[0]);
  say('Uploading...');
  const r = await fetch(`/api/customer/videos/${token}`, { method: 'POST', body: form });
  const body = await r.json();
  say(r.status === 201 ? 'Thank you! We will send your quote shortly.' : body.error.message);
});
