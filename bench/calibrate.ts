/**
 * How fast this machine is, in the unit the gateway spends its time on: one trivial HTTP round trip (undici client →
 * node:http server answering 204, both in this process), as CPU ms per round trip. The gateway's per-operation cost
 * divided by it is comparable across machines; the absolute milliseconds are not (a busy 2-vCPU VM is several
 * times slower than a laptop).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

export async function measureRoundTripCpuMs(durationMs = 1000): Promise<number> {
  const server = createServer({ keepAliveTimeout: 10_000 }, (_req, res) => {
    res.writeHead(204);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ connections: 1 });
  try {
    const once = async () => (await agent.request({ origin, path: '/', method: 'GET' })).body.dump();
    for (let i = 0; i < 2000; i++) await once(); // JIT and the connection
    const cpu = process.cpuUsage();
    const end = performance.now() + durationMs;
    let count = 0;
    while (performance.now() < end) {
      await once();
      count++;
    }
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000 / count;
  } finally {
    await agent.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
