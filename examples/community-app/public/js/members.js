import { api } from './api.js';
import { $, h } from './dom.js';
import { hobbyTags, personHeader } from './people.js';

export async function showMembers(state) {
  const list = $('members');
  if (!state.profile.location) {
    list.replaceChildren(h('p', { class: 'empty' }, 'Choose where you are on your profile to see members nearby.'));
    return;
  }
  const { members } = await api('GET', `/members?radius=${encodeURIComponent($('radius').value)}`);
  if (members.length === 0) {
    list.replaceChildren(h('p', { class: 'empty' }, 'Nobody within this distance shares your hobbies yet. Try a wider radius.'));
    return;
  }
  list.replaceChildren(
    ...members.map((member) =>
      h(
        'article',
        { class: 'card member', dataset: { member: member.id } },
        personHeader(member, member.distanceKm),
        member.bio ? h('p', { class: 'bio' }, member.bio) : null,
        hobbyTags(state.labels, member.hobbies, member.sharedHobbies),
      ),
    ),
  );
}
