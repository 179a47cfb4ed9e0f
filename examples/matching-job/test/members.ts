import { type DbPort, sql } from '@switchyard/core';

/**
 * `count` members around Lyon, written in one statement: every third one shares no hobby with the
 * others, and every tenth lives in Paris, too far for anyone in Lyon.
 */
export async function addMembers(db: DbPort, count: number): Promise<void> {
  await db.query(sql`
    insert into profiles (id, display_name, place, lat, lng, hobbies)
    select gen_random_uuid(), 'Member ' || n,
      case when n % 10 = 0 then 'Paris' else 'Lyon' end,
      case when n % 10 = 0 then 48.86 else 45.70 + (n % 17) * 0.01 end,
      case when n % 10 = 0 then 2.35 else 4.80 + (n % 13) * 0.01 end,
      case when n % 3 = 0 then array['yoga'] else array['chess', case when n % 2 = 0 then 'film' else 'hiking' end] end
    from generate_series(1, ${count}::int) n`);
}
