import { api } from './api.js';
import { $, action, h, toast } from './dom.js';
import { hobbyTags, personHeader } from './people.js';

function matchActions(match, state) {
  if (match.conversationId) {
    return [
      h('span', { class: 'state ok' }, 'You both accepted'),
      h('a', { class: 'button primary', href: `#chat/${match.conversationId}` }, 'Open chat'),
    ];
  }
  if (match.youAccepted) return [h('span', { class: 'state' }, `Waiting for ${match.member.displayName} to accept`)];
  const accept = h('button', { class: 'primary', type: 'button' }, 'Accept');
  accept.onclick = action(async () => {
    const result = await api('POST', `/matches/${match.id}/accept`);
    if (result.conversationId) {
      toast(`You and ${match.member.displayName} can chat now.`);
      await showMatches(state);
      location.hash = `#chat/${result.conversationId}`;
    } else {
      await showMatches(state);
    }
  });
  return [accept, match.theyAccepted ? h('span', { class: 'state' }, `${match.member.displayName} accepted`) : null];
}

export async function showMatches(state) {
  const { week, matches } = await api('GET', '/matches');
  $('week').textContent =
    `Week of ${new Date(`${week}T00:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'long', timeZone: 'UTC' })}`;
  const waiting = matches.filter((m) => !m.youAccepted).length;
  $('matches-badge').textContent = String(waiting);
  $('matches-badge').hidden = waiting === 0;
  if (matches.length === 0) {
    $('matches').replaceChildren(
      h('p', { class: 'empty' }, 'No matches yet this week. They are computed every Monday from your place and hobbies.'),
    );
    return;
  }
  $('matches').replaceChildren(
    ...matches.map((match) =>
      h(
        'article',
        { class: 'card match', dataset: { match: match.id } },
        personHeader(match.member, match.distanceKm),
        match.member.bio ? h('p', { class: 'bio' }, match.member.bio) : null,
        h('div', { class: 'muted' }, `${match.sharedHobbies.length} shared ${match.sharedHobbies.length === 1 ? 'hobby' : 'hobbies'}`),
        hobbyTags(state.labels, match.sharedHobbies, match.sharedHobbies),
        h('div', { class: 'actions' }, matchActions(match, state)),
      ),
    ),
  );
}
