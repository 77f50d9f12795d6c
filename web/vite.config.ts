import { defineConfig } from 'vite';

// The web app builds to web/dist, which the API server serves at /; `npm run dev:web` proxies /api to it.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
