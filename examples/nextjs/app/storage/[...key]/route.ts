import { localStorageHandler } from '@switchyard/local';
import { getProviders } from '../../../lib/providers';
import { serveThroughNodeHandler } from '../../../lib/storage-bridge';

/** The embedded storage's signed URLs (SWITCHYARD_LOCAL_BASE_URL points here); 404 when storage is a bucket. */
async function handle(request: Request): Promise<Response> {
  // Offered only by the embedded storage: a bucket serves its own signed URLs.
  const handler = (await getProviders()).extra(localStorageHandler);
  return (await serveThroughNodeHandler(handler, request)) ?? new Response('Not found', { status: 404 });
}

export const GET = handle;
export const HEAD = handle;
export const PUT = handle;
