/**
 * The ceiling: a minimal Fastify hello-world on the same machine, same Node.js, same load
 * generator. Every result of the run is also given as a ratio to it, so numbers compare across
 * machines. `PORT=n node bench/ceiling.mjs`
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.close().then(() => process.exit(0)));
