import { api, uploadTo } from './api.js';
import { $, action, h, toast } from './dom.js';
import { PLACES } from './places.js';

/** Locations are stored to two decimals of a degree (about 1 km); the browser's is rounded before it leaves. */
const round = (degrees) => Math.round(degrees * 100) / 100;

/** Kilometres between two points on the sphere (haversine), to name a position after the nearest place. */
function distanceKm(lat1, lng1, lat2, lng2) {
  const rad = (degrees) => (degrees * Math.PI) / 180;
  const h = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** "Near Villeurbanne" when a listed place is within 25 km; members see this label, never the coordinates. */
function nameFor(lat, lng) {
  const [nearest] = PLACES.map(([place, plat, plng]) => [place, distanceKm(lat, lng, plat, plng)]).sort((a, b) => a[1] - b[1]);
  return nearest && nearest[1] <= 25 ? `Near ${nearest[0]}` : 'Near you';
}

function placeOption(location) {
  return h('option', { value: JSON.stringify(location) }, location.place);
}

function selectPlace(location) {
  const select = $('place');
  if (!location) {
    select.value = '';
    return;
  }
  const value = JSON.stringify(location);
  if (![...select.options].some((option) => option.value === value)) select.append(placeOption(location));
  select.value = value;
}

function showPhoto(url) {
  $('my-photo').hidden = !url;
  $('my-photo-empty').hidden = Boolean(url);
  if (url) $('my-photo').src = url;
}

/** Fills the form from the saved profile. */
export function showProfile(state) {
  const { profile } = state;
  $('name').value = profile.displayName ?? '';
  $('bio').value = profile.bio ?? '';
  selectPlace(profile.location);
  showPhoto(profile.photo?.thumbnailUrl);
  $('hobbies').replaceChildren(
    ...state.hobbies.map(({ slug, label }) =>
      h('label', { class: 'chip' }, h('input', { type: 'checkbox', value: slug, checked: profile.hobbies.includes(slug) }), label),
    ),
  );
}

export function setupProfile(state, { onSaved, onDeleted }) {
  $('place').append(...PLACES.map(([place, lat, lng]) => placeOption({ place, lat, lng })));

  $('locate').onclick = action(async () => {
    const position = await new Promise((resolve, reject) =>
      navigator.geolocation.getCurrentPosition(resolve, () => reject(new Error('Your browser did not share a location.')), {
        timeout: 10000,
      }),
    );
    const lat = round(position.coords.latitude);
    const lng = round(position.coords.longitude);
    selectPlace({ place: nameFor(lat, lng), lat, lng });
  });

  $('profile-form').onsubmit = action(async () => {
    const hobbies = [...$('hobbies').querySelectorAll('input:checked')].map((input) => input.value);
    const location = $('place').value ? JSON.parse($('place').value) : null;
    const { profile } = await api('PUT', '/me', { displayName: $('name').value, bio: $('bio').value, hobbies, location });
    state.profile = profile;
    toast('Profile saved.');
    onSaved();
  });

  $('file').onchange = action(async () => {
    const file = $('file').files[0];
    if (!file) return;
    toast('Uploading…');
    const { name, upload } = await api('POST', '/photos/upload-url', { contentType: file.type, size: file.size });
    await uploadTo(upload, file);
    const { photo } = await api('POST', `/photos/${encodeURIComponent(name)}/complete`);
    $('file').value = '';
    state.profile.photo = photo;
    showPhoto(photo.thumbnailUrl);
    toast('Photo updated.');
  });

  $('delete-account').onclick = action(async () => {
    if (!window.confirm('Delete your account, photos, messages and matches? This cannot be undone.')) return;
    const { removed } = await api('DELETE', '/me');
    onDeleted(removed);
  });
}
