import { api } from './api.js';
import { setupChat, showChat } from './chat-view.js';
import { $, action, h, toast } from './dom.js';
import { showMatches } from './matches.js';
import { showMembers } from './members.js';
import { setupProfile, showProfile } from './profile.js';

const VIEWS = ['profile', 'members', 'matches', 'chat'];
const state = { user: null, profile: null, hobbies: [], labels: new Map(), chat: null, current: null };

function showSection(name) {
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== `view-${name}`;
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.view === name);
}

async function route() {
  const [view, argument] = location.hash.slice(1).split('/');
  const complete = state.profile.displayName && state.profile.location && state.profile.hobbies.length > 0;
  const name = VIEWS.includes(view) ? view : complete ? 'matches' : 'profile';
  showSection(name);
  try {
    if (name === 'profile') showProfile(state);
    else if (name === 'members') await showMembers(state);
    else if (name === 'matches') await showMatches(state);
    else await showChat(state, argument);
  } catch (error) {
    toast(error.message, { error: true });
  }
}

function onNotice(notice) {
  if (notice.type === 'account-deleted') {
    location.href = '/';
    return;
  }
  if (notice.type === 'conversation-opened') toast(`${notice.name} accepted too: your chat is open.`);
  else if (notice.type === 'match-accepted') toast(`${notice.name} accepted your match.`);
  const [view] = location.hash.slice(1).split('/');
  if (view === 'matches' || view === 'chat') void route();
  else void showMatches(state).catch(() => undefined);
}

function showDeleted(removed) {
  state.chat?.stop();
  const lines = [
    `${removed.files} file(s): photos and thumbnails`,
    removed.profile ? 'your profile' : 'no profile',
    `${removed.messages} message(s)`,
    `${removed.directConversations} direct conversation(s)`,
    `${removed.matches} match(es)`,
    'your sign-in account',
  ];
  $('deleted-report').replaceChildren(...lines.map((line) => h('li', {}, line)));
  $('nav').hidden = true;
  $('account').hidden = true;
  history.replaceState(null, '', '/');
  showSection('deleted');
}

async function start() {
  let me;
  try {
    me = await api('GET', '/me');
  } catch (error) {
    if (error.status !== 401) toast(error.message, { error: true });
    showSection('signin');
    return;
  }
  state.user = me.user;
  state.profile = me.profile;
  const { hobbies } = await api('GET', '/hobbies');
  state.hobbies = hobbies;
  state.labels = new Map(hobbies.map((hobby) => [hobby.slug, hobby.label]));
  $('who').textContent = me.user.email;
  $('nav').hidden = false;
  $('account').hidden = false;
  setupProfile(state, { onSaved: () => void showMatches(state).catch(() => undefined), onDeleted: showDeleted });
  setupChat(state, onNotice);
  window.addEventListener('hashchange', () => void route());
  await route();
  if (!location.hash.startsWith('#matches')) await showMatches(state).catch(() => undefined);
}

$('email-form').onsubmit = action(async () => {
  await api('POST', '/auth/sign-in', { email: $('email').value });
  $('code-email').textContent = $('email').value;
  $('code-form').hidden = false;
  $('code').focus();
});

$('code-form').onsubmit = action(async () => {
  await api('POST', '/auth/verify', { email: $('email').value, code: $('code').value.trim() });
  await start();
});

$('sign-out').onclick = action(async () => {
  state.chat?.stop();
  await api('POST', '/auth/sign-out');
  location.href = '/';
});

void start();
