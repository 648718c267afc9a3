import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { nextTurn } from './turns.js';

describe('nextTurn', () => {
  it('waits for a turn that polls for I/O, also when asked from an I/O callback', async () => {
    // An immediate set from an I/O callback runs in the same iteration of the event loop, before
    // the next poll: a connection waiting to be accepted would still wait.
    const order: string[] = [];
    let accepted = 0;
    const server = net.createServer((socket) => {
      order.push(`connection ${(accepted += 1)}`);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const sockets: net.Socket[] = [];
    await new Promise<void>((resolve) => {
      const first = net.connect(port, '127.0.0.1', () => {
        // In the poll phase: a second connection is made, then the turn is awaited.
        sockets.push(net.connect(port, '127.0.0.1').on('error', () => {}));
        void nextTurn().then(() => {
          order.push('turn');
          resolve();
        });
      });
      first.on('error', () => {});
      sockets.push(first);
    });
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    expect(order.indexOf('connection 2')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('connection 2')).toBeLessThan(order.indexOf('turn'));
  });
});
