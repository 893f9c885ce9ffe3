#!/usr/bin/env node
import { readFile, writeFile } from 'node:fs/promises';
import { CLIENT_TYPES_FILE, clientTypes } from '../lib/openapi-client';

// Regenerates the REST API's client types from the OpenAPI document; `--check` only reports whether they are current.
const fresh = await clientTypes();
if (process.argv.includes('--check')) {
  const current = await readFile(CLIENT_TYPES_FILE, 'utf8').catch(() => '');
  if (current !== fresh) {
    console.error(`${CLIENT_TYPES_FILE} is stale: run npm run openapi`);
    process.exit(1);
  }
  console.log(`${CLIENT_TYPES_FILE} is current`);
} else {
  await writeFile(CLIENT_TYPES_FILE, fresh);
  console.log(`wrote ${CLIENT_TYPES_FILE}`);
}
