import { readJson, sendJson } from './http.js';
import { errors } from './storage-api-errors.js';
import type { Route, RouteContext } from './storage-api-route.js';

/** src/http/routes/bucket/*.ts */
export function bucketRoutes({ store, caller }: RouteContext): Route[] {
  return [
    [
      'POST',
      /^\/bucket$/,
      async (req, res) => {
        caller(req, true);
        sendJson(res, 200, { name: store.createBucket(await readJson(req)) });
      },
    ],
    [
      'GET',
      /^\/bucket\/([^/]+)$/,
      async (req, res, [id]) => {
        caller(req, true);
        sendJson(res, 200, store.bucketRow(store.bucket(id!)));
      },
    ],
    [
      'POST',
      /^\/bucket\/([^/]+)\/empty$/,
      async (req, res, [id]) => {
        caller(req, true);
        store.bucket(id!).objects.clear();
        sendJson(res, 200, { message: 'Empty bucket has been queued. Completion may take up to an hour.' });
      },
    ],
    [
      'DELETE',
      /^\/bucket\/([^/]+)$/,
      async (req, res, [id]) => {
        caller(req, true);
        if (store.bucket(id!).objects.size > 0) throw errors.bucketNotEmpty();
        store.buckets.delete(id!);
        sendJson(res, 200, { message: 'Successfully deleted' });
      },
    ],
  ];
}
