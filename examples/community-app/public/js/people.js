import { avatar, h } from './dom.js';

/** Hobby tags, the shared ones first and marked. */
export function hobbyTags(labels, hobbies, shared) {
  const sorted = [...hobbies].sort((a, b) => Number(shared.includes(b)) - Number(shared.includes(a)));
  return h(
    'div',
    { class: 'tags' },
    sorted.map((slug) => h('span', { class: shared.includes(slug) ? 'tag shared' : 'tag' }, labels.get(slug) ?? slug)),
  );
}

/** The top of a member or match card: thumbnail, name, place and distance. */
export function personHeader(person, distanceKm) {
  return h(
    'div',
    { class: 'person' },
    avatar(person.thumbnailUrl, person.displayName),
    h('div', {}, h('h3', {}, person.displayName), h('div', { class: 'muted' }, `${person.place ?? ''} · ${distanceKm} km away`)),
  );
}
