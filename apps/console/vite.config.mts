import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const sdk = fileURLToPath(new URL('../../libs/sdk/src/index.ts', import.meta.url));
// `npm run serve` / `vite`: the API paths go to the gateway running on this machine.
const gateway = process.env.POSTLINE_GATEWAY_URL ?? 'http://127.0.0.1:3000';
const apiPaths = [
  '/emails',
  '/webhook-deliveries',
  '/account',
  '/api-keys',
  '/senders',
  '/suppressions',
  '/reports',
  '/reputation',
  '/admin',
];

export default defineConfig({
  root,
  // Relative asset URLs: the same build works under /console/ on the gateway and anywhere else.
  base: './',
  plugins: [react()],
  resolve: { alias: { '@postline/client': sdk } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
    // ECharts' parts the console uses (echarts/core, tree-shaken) are ~190 kB gzipped, in their own file.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries change less often than the console: their own files stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|@tanstack)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: Object.fromEntries(apiPaths.map((path) => [path, gateway])) },
});
