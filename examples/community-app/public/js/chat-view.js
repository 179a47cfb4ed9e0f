import { api } from './api.js';
import { ChatSocket } from './chat.js';
import { $, action, avatar, h, toast } from './dom.js';

const STATES = { connecting: 'connecting…', online: 'live', reconnecting: 'reconnecting…', offline: 'offline' };

function time(iso) {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function renderThread(state) {
  const list = $('messages');
  const messages = state.chat.messages(state.current);
  if (messages.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, 'No messages yet. Say hello!'));
    return;
  }
  list.replaceChildren(
    ...messages.map((message) => {
      const mine = message.author.id === state.user.id;
      return h(
        'li',
        { class: mine ? 'message mine' : 'message', dataset: { id: message.id } },
        h('div', { class: 'author' }, `${mine ? 'You' : message.author.name} · ${time(message.createdAt)}`),
        h('div', { class: 'bubble' }, message.text),
      );
    }),
  );
  list.scrollTop = list.scrollHeight;
}

function conversationLink(conversation, current) {
  const icon =
    conversation.kind === 'room'
      ? h('span', { 'aria-hidden': 'true' }, '#')
      : avatar(conversation.member?.thumbnailUrl, conversation.title, 'avatar-sm');
  return h(
    'li',
    {},
    h(
      'a',
      {
        href: `#chat/${conversation.id}`,
        class: conversation.id === current ? 'active' : null,
        dataset: { conversation: conversation.id },
      },
      icon,
      conversation.title,
    ),
  );
}

export function setupChat(state, onNotice) {
  state.chat = new ChatSocket({
    onMessage: (conversationId) => {
      if (conversationId === state.current) renderThread(state);
    },
    onNotice,
    onState: (connection) => {
      $('connection').textContent = STATES[connection];
      $('connection').classList.toggle('online', connection === 'online');
    },
    onError: (frame) => toast(frame.message, { error: true }),
  });
  $('chat-form').onsubmit = action(async () => {
    const text = $('text').value.trim();
    if (!text || !state.current) return;
    $('text').value = '';
    try {
      await state.chat.send(state.current, text);
    } catch (error) {
      $('text').value = text;
      throw error;
    }
  });
  state.chat.connect();
}

/** Shows the conversation list and opens one (the given one, the last one, or the first room). */
export async function showChat(state, conversationId) {
  const { conversations } = await api('GET', '/conversations');
  const known = (id) => conversations.some((c) => c.id === id);
  state.current = [conversationId, state.current].find((id) => id && known(id)) ?? conversations[0]?.id;
  const current = conversations.find((c) => c.id === state.current);
  $('rooms').replaceChildren(...conversations.filter((c) => c.kind === 'room').map((c) => conversationLink(c, state.current)));
  const directs = conversations.filter((c) => c.kind === 'direct');
  $('directs').replaceChildren(
    ...(directs.length > 0
      ? directs.map((c) => conversationLink(c, state.current))
      : [h('li', { class: 'hint' }, 'Accept a match to chat one to one.')]),
  );
  $('thread-title').textContent = current ? (current.kind === 'room' ? `# ${current.title}` : current.title) : 'Chat';
  if (!current) return;
  state.chat.join(current.id);
  renderThread(state);
}
