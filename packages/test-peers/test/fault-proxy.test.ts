import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FaultProxy } from '../src/fault-proxy.js';

/** A server that answers every chunk with `reply:` + the chunk, in one write. */
async function startEcho(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // the proxy resets it on purpose
    socket.on('data', (chunk) => socket.write(Buffer.concat([Buffer.from('reply:'), chunk])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return { server, port: address.port };
}

interface Outcome {
  data: string;
  error?: string;
  closed: boolean;
}

/** Sends `message` and collects what comes back until the socket closes or `settle` resolves. */
function exchange(port: number, message: string, settle: Promise<void>): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { data: '', closed: false };
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(message));
    socket.on('data', (chunk) => {
      outcome.data += chunk.toString();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome.error = error.code ?? error.message;
    });
    socket.on('close', () => {
      outcome.closed = true;
      resolve(outcome);
    });
    void settle.then(() => {
      socket.destroy();
      resolve(outcome);
    });
  });
}

const until = (predicate: () => boolean) =>
  vi.waitFor(() => {
    if (!predicate()) throw new Error('not yet');
  });

describe('FaultProxy', () => {
  let echo: { server: Server; port: number };
  let proxy: FaultProxy;

  beforeAll(async () => {
    echo = await startEcho();
    proxy = await FaultProxy.start({ port: echo.port });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await proxy.set('pass');
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => echo.server.close(resolve));
  });

  it('forwards both ways in pass mode', async () => {
    let got = '';
    const socket = connect(proxy.port, '127.0.0.1', () => socket.write('hello'));
    socket.on('data', (chunk) => {
      got += chunk.toString();
    });
    await until(() => got === 'reply:hello');
    socket.destroy();
  });

  it('refuses connections, then accepts them again on the same port once lifted', async () => {
    const port = proxy.port;
    await proxy.set('refuse');
    const refused = await exchange(port, 'x', new Promise(() => undefined));
    expect(refused.error).toBe('ECONNREFUSED');
    await proxy.set('pass');
    expect(proxy.port).toBe(port);
    let got = '';
    const socket = connect(port, '127.0.0.1', () => socket.write('again'));
    socket.on('data', (chunk) => {
      got += chunk.toString();
    });
    await until(() => got === 'reply:again');
    socket.destroy();
  });

  it('resets a connection it accepted', async () => {
    await proxy.set('reset');
    const outcome = await exchange(proxy.port, 'x', new Promise(() => undefined));
    expect(outcome.closed).toBe(true);
    expect(outcome.data).toBe('');
    expect(outcome.error).toBe('ECONNRESET');
  });

  it('holds every chunk for the delay', async () => {
    await proxy.set('delay', { delayMs: 60_000 });
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    let got = '';
    const socket = connect(proxy.port, '127.0.0.1', () => socket.write('slow'));
    socket.on('data', (chunk) => {
      got += chunk.toString();
    });
    await until(() => proxy.connections > 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(got).toBe('');
    vi.advanceTimersByTime(60_000); // the request reaches the server
    await until(() => vi.getTimerCount() > 0); // its reply is held in turn
    expect(got).toBe('');
    vi.advanceTimersByTime(60_000);
    await until(() => got === 'reply:slow');
    socket.destroy();
  });

  it('swallows everything in blackhole mode, also on connections opened before', async () => {
    let got = '';
    const socket = connect(proxy.port, '127.0.0.1', () => socket.write('one'));
    socket.on('data', (chunk) => {
      got += chunk.toString();
    });
    await until(() => got === 'reply:one');
    await proxy.set('blackhole');
    socket.write('two');
    const fresh = await exchange(proxy.port, 'three', new Promise((resolve) => setTimeout(resolve, 200)));
    expect(fresh.data).toBe('');
    expect(fresh.closed).toBe(false);
    expect(got).toBe('reply:one');
    socket.destroy();
  });

  it('cuts the response after the given bytes with a reset', async () => {
    await proxy.set('cut', { afterBytes: 8 });
    const outcome = await exchange(proxy.port, 'abcdefgh', new Promise(() => undefined));
    expect(outcome.data).toBe('reply:ab');
    expect(outcome.error).toBe('ECONNRESET');
  });

  it('drops open connections on demand, as a failover would', async () => {
    const pending = exchange(proxy.port, 'x', new Promise(() => undefined));
    await until(() => proxy.connections > 0);
    proxy.dropConnections();
    const outcome = await pending;
    expect(outcome.closed).toBe(true);
  });
});
