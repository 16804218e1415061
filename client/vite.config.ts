import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API, the Yjs websocket and socket.io live on the Fastify server.
const server = process.env.PARLEY_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The CSP forbids inline scripts; keep modulepreload polyfill out of index.html.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': server,
      '/yjs': { target: server, ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
});
