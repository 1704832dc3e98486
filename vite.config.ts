import { defineConfig } from 'vite';

/** The supervisor console and agent desk: built into dist/web and served by Outdial at `/`. */
export default defineConfig({
  root: 'web',
  base: '/',
  build: { outDir: '../dist/web', emptyOutDir: true, sourcemap: true },
  esbuild: { jsx: 'automatic' },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
