/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API server (callwire-server) the dev server proxies to. Override with
// CALLWIRE_API=http://host:port npm run dev.
const api = process.env.CALLWIRE_API ?? 'http://127.0.0.1:8000';
const wsApi = api.replace(/^http/, 'ws');

export default defineConfig({
  plugins: [react()],
  server: {
    port: 3000,
    strictPort: true,
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/ws': { target: wsApi, ws: true, changeOrigin: true },
      '/webhooks': { target: api, changeOrigin: true },
      '/recordings': { target: api, changeOrigin: true },
      '/health': { target: api, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
