/**
 * Renderer build: root renderer/, relative base so the same output loads from
 * file:// (Electron) and from http://127.0.0.1 (web mode), output out/renderer.
 * The strict Content-Security-Policy is injected into index.html at build
 * time only: the Vite dev server injects <style> elements for HMR, which the
 * production policy (style-src 'self', no inline) would block.
 */
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';

const rendererRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const outDir = decodeURIComponent(new URL('../out/renderer', import.meta.url).pathname);

export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // 'self' covers ws:// and wss:// to the same host in CSP Level 3 (web mode).
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'replscope-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP }, injectTo: 'head-prepend' }],
    },
  };
}

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [vue(), contentSecurityPolicy()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome120',
    // Assets as files, never data: URLs inlined into CSS or JS.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    // Chromium supports modulepreload natively; no polyfill in the bundle.
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
