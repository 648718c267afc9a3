/**
 * Resolved once the event loop has polled for I/O (accepted connections, read requests): for work
 * that runs on Node's thread for a long time (the embedded database's statements, a server's
 * warm-up) and should let requests in meanwhile. One immediate is not enough: set while the loop
 * is in its poll phase (an I/O callback), it runs in the same iteration's check phase, before the
 * next poll; set from the check phase, it runs in the next iteration, after its poll.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
