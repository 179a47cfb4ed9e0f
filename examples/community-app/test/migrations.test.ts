import { randomUUID } from 'node:crypto';
import { type DbPort, sql } from '@switchyard/core';
import { createPostgresDb, installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase, type TestDatabase } from '@switchyard/test-peers/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { profilesAndChat } from '../src/db/migrations/001-profiles-and-chat.js';
import { MIGRATIONS } from '../src/db/migrations/index.js';

describe('migrations through the DbPort (PostgreSQL)', () => {
  const opened: { database: TestDatabase; db: DbPort }[] = [];

  async function freshDb(): Promise<DbPort> {
    const database = await createTestDatabase({ prepare: installSupabaseCompat });
    const db = await createPostgresDb({ connectionString: database.connectionString });
    opened.push({ database, db });
    return db;
  }

  afterEach(async () => {
    for (const { database, db } of opened.splice(0)) {
      await db.close();
      await database.drop();
    }
  });

  it('adopts a database the first version of the app made, keeping its rows', async () => {
    const db = await freshDb();
    await migrate(db, [profilesAndChat]);
    const member = randomUUID();
    await db.query(
      sql`insert into profiles (id, email, display_name, hobbies) values (${member}, 'old@example.com', 'Old', '{Chess,"knitting stuff",chess}')`,
    );
    await db.query(sql`insert into messages (id, room, author, text) values (${randomUUID()}, 'garden', ${member}, 'tomatoes')`);

    expect(await migrate(db)).toEqual(['2 member profiles', '3 distance', '4 conversations and matches']);
    const profile = await db.one<{ hobbies: string[] }>(sql`select hobbies from profiles where id = ${member}`);
    expect(profile.hobbies).toEqual(['chess']);
    const moved = await db.one<{ slug: string; text: string }>(
      sql`select c.slug, m.text from messages m join conversations c on c.id = m.conversation_id`,
    );
    expect(moved).toEqual({ slug: 'garden', text: 'tomatoes' });
    expect(await migrate(db)).toEqual([]);
  });

  it('applies each migration once when instances start together', async () => {
    const db = await freshDb();
    const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((m) => `${m.version} ${m.name}`).sort());
    const { rows } = await db.query<{ version: number }>(sql`select version from app_migrations order by version`);
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4]);
  });

  it('leaves the database as it was when a migration fails', async () => {
    const db = await freshDb();
    const broken = {
      version: 99,
      name: 'broken',
      up: (tx: Parameters<(typeof MIGRATIONS)[number]['up']>[0]) => tx.query(sql`select * from no_such_table`).then(() => undefined),
    };
    await expect(migrate(db, [profilesAndChat, broken])).rejects.toMatchObject({ name: 'SwitchyardError' });
    const tables = await db.maybeOne(sql`select 1 from pg_tables where tablename = 'app_migrations'`);
    expect(tables).toBeNull();
  });
});
