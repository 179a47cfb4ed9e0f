import type { RequestContext, Route } from './router.js';

/** One page, no build step: sign in, profile, photos and the lobby chat, all through the JSON API. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Community app</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  section { border: 1px solid #ddd; border-radius: 8px; padding: 0.5rem 1rem 1rem; margin-bottom: 1rem; }
  img { width: 96px; height: 96px; object-fit: cover; border-radius: 6px; }
  #photos { display: flex; flex-wrap: wrap; gap: 0.5rem; } #photos button { display: block; }
  #log { height: 12rem; overflow-y: auto; background: #f7f7f7; padding: 0.5rem; }
  [hidden] { display: none !important; } .error { color: #b00; }
</style>
</head>
<body>
<h1>Community app</h1>
<p id="status" class="error"></p>
<section id="signin">
  <h2>Sign in</h2>
  <form id="email-form"><input id="email" type="email" placeholder="you@example.com" required> <button>Email me a code</button></form>
  <form id="code-form" hidden><p>Paste the code (the dev mailbox prints it in the terminal):</p>
    <input id="code" inputmode="numeric" autocomplete="one-time-code" required> <button>Sign in</button></form>
</section>
<div id="app" hidden>
  <section><h2>Profile <small id="who"></small></h2>
    <form id="profile-form"><input id="name" placeholder="Display name"> <input id="hobbies" placeholder="Hobbies, comma separated">
      <button>Save</button></form>
    <button id="sign-out">Sign out</button></section>
  <section><h2>Photos</h2><input id="file" type="file" accept="image/jpeg,image/png,image/webp"><div id="photos"></div></section>
  <section><h2>Chat: lobby</h2><div id="log"></div><form id="chat-form"><input id="text" required> <button>Send</button></form></section>
</div>
<script type="module">
const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').textContent = text; };
async function api(method, path, body) {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body && JSON.stringify(body) });
  const data = res.status === 204 ? {} : await res.json();
  if (!res.ok) throw new Error(data.error?.message ?? res.statusText);
  return data;
}
const run = (fn) => (event) => { event?.preventDefault(); status(''); fn().catch((error) => status(error.message)); };
$('email-form').onsubmit = run(async () => {
  await api('POST', '/auth/sign-in', { email: $('email').value });
  $('code-form').hidden = false;
});
$('code-form').onsubmit = run(async () => {
  await api('POST', '/auth/verify', { email: $('email').value, code: $('code').value.trim() });
  await start();
});
$('sign-out').onclick = run(async () => { await api('POST', '/auth/sign-out'); location.reload(); });
$('profile-form').onsubmit = run(async () => {
  const hobbies = $('hobbies').value.split(',').map((h) => h.trim()).filter(Boolean);
  await api('PUT', '/me', { displayName: $('name').value, hobbies });
  status('Saved.');
});
$('file').onchange = run(async () => {
  const file = $('file').files[0];
  if (!file) return;
  const { upload } = await api('POST', '/photos/upload-url', { contentType: file.type, size: file.size });
  const res = await fetch(upload.url, { method: upload.method, headers: { ...upload.headers, 'content-type': file.type }, body: file });
  if (!res.ok) throw new Error('Upload refused (' + res.status + ')');
  $('file').value = '';
  await showPhotos();
});
async function showPhotos() {
  const { photos } = await api('GET', '/photos');
  $('photos').replaceChildren(...photos.map((photo) => {
    const figure = document.createElement('figure');
    const img = Object.assign(document.createElement('img'), { src: photo.url, alt: photo.name });
    const remove = Object.assign(document.createElement('button'), { textContent: 'Delete' });
    remove.onclick = run(async () => { await api('DELETE', '/photos/' + encodeURIComponent(photo.name)); await showPhotos(); });
    figure.append(img, remove);
    return figure;
  }));
}
let me;
function addLine(message) {
  const line = document.createElement('div');
  line.textContent = (message.author === me.id ? 'you' : message.author.slice(0, 8)) + ': ' + message.text;
  $('log').append(line);
  $('log').scrollTop = $('log').scrollHeight;
}
$('chat-form').onsubmit = run(async () => { await api('POST', '/chat/lobby/messages', { text: $('text').value }); $('text').value = ''; });
async function start() {
  const { user, profile } = await api('GET', '/me');
  me = user;
  $('signin').hidden = true; $('app').hidden = false;
  $('who').textContent = user.email;
  $('name').value = profile.displayName ?? ''; $('hobbies').value = profile.hobbies.join(', ');
  await showPhotos();
  const { messages } = await api('GET', '/chat/lobby/messages');
  messages.forEach(addLine);
  new EventSource('/chat/lobby/stream').addEventListener('message', (event) => addLine(JSON.parse(event.data)));
}
start().catch(() => {});
</script>
</body>
</html>
`;

async function page(ctx: RequestContext): Promise<void> {
  ctx.res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  ctx.res.end(PAGE);
}

async function health(ctx: RequestContext): Promise<void> {
  ctx.res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  ctx.res.end('{"ok":true}');
}

export const pageRoutes: Route[] = [
  { method: 'GET', path: '/', handler: page },
  { method: 'GET', path: '/healthz', handler: health },
];
