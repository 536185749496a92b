/**
 * Builds the dashboard into static files under dist/web, served by the
 * gateway at /dashboard. Everything is bundled: no fonts, scripts or styles
 * are fetched from elsewhere at run time.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/dashboard/',
  publicDir: false,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `vite --config web/vite.config.ts` during development: the admin API comes from a running gateway.
    proxy: { '/admin': process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:8787' },
  },
});
