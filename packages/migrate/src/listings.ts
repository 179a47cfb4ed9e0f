import { type AuthPort, type AuthUser, type ListedObject, type StoragePort, SwitchyardError } from '@switchyard/core';
import type { Page } from './paged-run.js';
import { withRetries } from './retry.js';

/** A page of `storage`'s objects (up to `pageSize`, default 1,000) after `cursor`, retried through a blip. */
export function objectPages(storage: StoragePort, options: { prefix?: string | undefined; pageSize?: number | undefined }) {
  return (cursor: string | undefined): Promise<Page<ListedObject>> =>
    withRetries(() =>
      storage.list({
        limit: options.pageSize ?? 1000,
        ...(options.prefix ? { prefix: options.prefix } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    );
}

/** A page of `auth`'s users (up to `pageSize`, default 50) after `cursor`, retried through a blip. */
export function userPages(auth: AuthPort, options: { pageSize?: number | undefined }) {
  return async (cursor: string | undefined): Promise<Page<AuthUser>> => {
    const page = await withRetries(() => auth.admin.listUsers({ limit: options.pageSize ?? 50, ...(cursor ? { cursor } : {}) }));
    return { items: page.users, cursor: page.cursor };
  };
}

/** The problems-file entry of an item that failed: its identity, the error's code and message (secret-free by the taxonomy). */
export function failure(error: unknown, item: Record<string, unknown>): Record<string, unknown> {
  const e = SwitchyardError.isInstance(error) ? error : undefined;
  return { ...item, code: e?.code ?? 'UNAVAILABLE', message: e?.message ?? String(error) };
}
