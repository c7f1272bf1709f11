#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` first).
import('../dist/cli/main.js').catch((error) => {
  if (
    error &&
    error.code === 'ERR_MODULE_NOT_FOUND' &&
    String(error.message).includes('dist/cli/main.js')
  ) {
    console.error('cloud-sync: not built yet. Run `npm run build` in the project folder first.');
    process.exit(2);
  }
  throw error;
});
