import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built web UI (vite build → dist/web), found from the package root whether running built or from source. */
export function webDirectory(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'web');
}

/**
 * Serves the supervisor console and agent desk at `/` (index.html and its hashed assets). The API
 * stays where it is; the UI routes by URL hash, so the server only serves these files.
 */
export async function webUi(app: FastifyInstance, root = webDirectory()): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false });
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      return reply.status(503).type('text/plain').send('The web UI is not built: run `npm run build`.');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  app.get('/assets/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(path.join('assets', file));
  });
}
