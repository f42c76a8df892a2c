import net from 'node:net';

/**
 * A TCP proxy in front of a server, so a test can lose the server without stopping it (it may be
 * shared): `cut('refuse')` drops every connection and resets new ones, `cut('blackhole')` drops
 * them and lets new ones hang unanswered; `restore()` forwards again.
 */
export interface TcpProxy { port: number; cut(mode?: 'refuse' | 'blackhole'): void; restore(): void; close(): Promise<void> }

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'forward' | 'refuse' | 'blackhole' = 'forward';
  const open = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    open.add(inbound);
    inbound.on('close', () => open.delete(inbound));
    inbound.on('error', () => undefined);
    if (mode === 'refuse') { inbound.resetAndDestroy(); return; }
    if (mode === 'blackhole') return;
    const outbound = net.connect(targetPort, targetHost);
    open.add(outbound);
    outbound.on('close', () => { open.delete(outbound); inbound.destroy(); });
    outbound.on('error', () => inbound.destroy());
    inbound.on('close', () => outbound.destroy());
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut(m = 'refuse') {
      mode = m;
      for (const s of open) s.resetAndDestroy();
    },
    restore() { mode = 'forward'; },
    close() {
      for (const s of open) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
