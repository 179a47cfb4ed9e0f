import { fail } from '../http.js';

export const MAX_NAME = 80;
export const MAX_BIO = 280;
export const MAX_HOBBIES = 10;
const MAX_PLACE = 80;

export interface ProfileInput {
  displayName: string;
  bio: string;
  hobbies: string[];
  location: { place: string; lat: number; lng: number } | null;
}

/**
 * Two decimals of a degree is about 1 km: members see roughly where others are, never the exact
 * spot the browser's geolocation gave.
 */
function approximate(value: number): number {
  return Math.round(value * 100) / 100;
}

function text(value: unknown, name: string, max: number, required: boolean): string {
  if (value === undefined || value === null) {
    if (required) throw fail('INVALID_INPUT', `"${name}" is required.`);
    return '';
  }
  if (typeof value !== 'string' || value.trim().length > max || (required && value.trim() === ''))
    throw fail('INVALID_INPUT', `"${name}" must be ${required ? 'a non-empty' : 'a'} string of at most ${max} characters.`);
  return value.trim();
}

function hobbies(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_HOBBIES || !value.every((h) => typeof h === 'string'))
    throw fail('INVALID_INPUT', `"hobbies" must be a list of at most ${MAX_HOBBIES} hobbies from GET /hobbies.`);
  return [...new Set(value as string[])].sort();
}

function location(value: unknown): ProfileInput['location'] {
  if (value === undefined || value === null) return null;
  const { place, lat, lng } = value as Record<string, unknown>;
  const valid =
    typeof lat === 'number' && typeof lng === 'number' && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && Number.isFinite(lat + lng);
  if (!valid) throw fail('INVALID_INPUT', '"location" must be {place, lat, lng} with lat in -90..90 and lng in -180..180, or null.');
  return { place: text(place, 'location.place', MAX_PLACE, true), lat: approximate(lat), lng: approximate(lng) };
}

/** Checks a `PUT /me` body; hobby slugs are checked against the catalogue by the caller. */
export function parseProfile(body: Record<string, unknown>): ProfileInput {
  return {
    displayName: text(body.displayName, 'displayName', MAX_NAME, true),
    bio: text(body.bio, 'bio', MAX_BIO, false),
    hobbies: hobbies(body.hobbies),
    location: location(body.location),
  };
}
