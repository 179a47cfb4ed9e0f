import { describe, expect, it } from 'vitest';
import { peerEnv } from '../src/index.js';

// The tier's own smoke test: every peer the global setup started answers its protocol.
describe('real peers', () => {
  it('serves the Supabase Storage API with the service-role key', async () => {
    const env = peerEnv('supabase-storage');
    const response = await fetch(`${env.SUPABASE_URL}/storage/v1/bucket`, {
      headers: { authorization: `Bearer ${env.SUPABASE_SERVICE_ROLE_KEY}`, apikey: env.SUPABASE_SERVICE_ROLE_KEY ?? '' },
    });
    expect(response.status).toBe(200);
    expect(Array.isArray(await response.json())).toBe(true);
  });

  it('serves S3 from Ceph RGW, which checks SigV4 signatures', async () => {
    const env = peerEnv('ceph-rgw');
    const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const response = await fetch(`${env.S3_ENDPOINT}/`, {
      headers: {
        'x-amz-date': date,
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        authorization: `AWS4-HMAC-SHA256 Credential=${env.S3_ACCESS_KEY_ID}/${date.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SignatureDoesNotMatch');
  });

  it('serves moto', async () => {
    const { MOTO_ENDPOINT } = peerEnv('moto');
    const response = await fetch(`${MOTO_ENDPOINT}/moto-api/`);
    expect(response.ok).toBe(true);
    await response.arrayBuffer();
  });
});
