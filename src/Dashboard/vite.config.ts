import { defineConfig } from 'vite';

// Relative asset URLs: the dashboard keeps working when a reverse proxy serves steep under a sub-path.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '^/(workflows|processchains|logs|agents|services|vms|events|metrics|validate|health)': 'http://127.0.0.1:8080' } },
});
