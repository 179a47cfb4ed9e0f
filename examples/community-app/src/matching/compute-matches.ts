import { type DbPort, sql } from '@switchyard/core';

export interface MatchOptions {
  /** Monday of the week, `YYYY-MM-DD` (see `weekOf`). */
  week: string;
  /** Members read per query; bounds memory and each statement's work. Default 200. */
  pageSize?: number;
  /** Suggestions chosen for each member (they may also be chosen by others). Default 3. */
  perMember?: number;
  /** Only members this close are suggested. Default 50 km. */
  radiusKm?: number;
}

export interface MatchRun {
  week: string;
  /** True when the week had already been computed: nothing was read or written. */
  alreadyDone: boolean;
  /** Members with a name, a place and a hobby, read page by page. */
  members: number;
  /** Pairs this run added (0 on a repeated run). */
  pairsAdded: number;
  /** Pairs the week has in all. */
  pairs: number;
}

/** A member can be matched once they have a name, a place and at least one hobby. */
const MATCHABLE = sql`display_name is not null and lat is not null and cardinality(hobbies) > 0`;

/**
 * Picks, for one page of members, the nearest members sharing the most hobbies and stores each
 * pair once (smaller id first). Everything happens in the database: the process holds one page
 * cursor and two counters, however many members there are.
 */
async function matchPage(db: DbPort, options: Required<MatchOptions>, after: string | null) {
  const { week, pageSize, perMember, radiusKm } = options;
  return db.one<{ last_id: string | null; members: number; added: number }>(sql`
    with page as (
      select id, lat, lng, hobbies from profiles
      where ${MATCHABLE} and (${after}::uuid is null or id > ${after}::uuid)
      order by id limit ${pageSize}
    ),
    picks as (
      select me.id as member, pick.id as other, pick.shared, pick.distance_km
      from page me
      cross join lateral (
        select o.id, n.distance_km,
          array(select unnest(o.hobbies) intersect select unnest(me.hobbies) order by 1) as shared
        from nearby_profiles(me.lat, me.lng, ${radiusKm}) n
        join profiles o on o.id = n.id
        where o.id <> me.id and o.hobbies && me.hobbies and o.display_name is not null
        order by cardinality(array(select unnest(o.hobbies) intersect select unnest(me.hobbies))) desc, n.distance_km, o.id
        limit ${perMember}
      ) pick
    ),
    added as (
      insert into matches (week, user_a, user_b, shared_hobbies, distance_km)
      select ${week}::date, least(member, other), greatest(member, other), shared, distance_km from picks
      on conflict (week, user_a, user_b) do nothing
      returning 1
    )
    select (select id from page order by id desc limit 1) as last_id,
           (select count(*) from page)::int as members,
           (select count(*) from added)::int as added`);
}

/**
 * Computes a week's matches: members near each other who share hobbies. Idempotent per week: a
 * finished week is recorded in `match_runs` and a second run changes nothing; a run that stopped
 * half-way is finished by the next one, and two runs at once add each pair once (the unique key).
 */
export async function computeWeekMatches(db: DbPort, options: MatchOptions): Promise<MatchRun> {
  const settings: Required<MatchOptions> = { pageSize: 200, perMember: 3, radiusKm: 50, ...options };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(settings.week)) throw new RangeError('week must be a YYYY-MM-DD Monday (see weekOf).');
  const { week } = settings;
  await db.query(sql`insert into match_runs (week) values (${week}::date) on conflict (week) do nothing`);
  const run = await db.one<{ finished: boolean; pairs: number; members: number }>(
    sql`select finished_at is not null as finished, pairs, members from match_runs where week = ${week}::date`,
  );
  if (run.finished) return { week, alreadyDone: true, members: run.members, pairsAdded: 0, pairs: run.pairs };

  let after: string | null = null;
  let members = 0;
  let pairsAdded = 0;
  do {
    const page = await matchPage(db, settings, after);
    members += page.members;
    pairsAdded += page.added;
    after = page.members === settings.pageSize ? page.last_id : null;
  } while (after !== null);

  const total = await db.one<{ pairs: number }>(sql`
    update match_runs set finished_at = now(), members = ${members},
      pairs = (select count(*) from matches where week = ${week}::date)
    where week = ${week}::date returning pairs`);
  return { week, alreadyDone: false, members, pairsAdded, pairs: total.pairs };
}
