import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { buildGatewayDocument } from '../src/openapi-document';

// Writes the gateway's OpenAPI document to the file given (npm run sdk:generate).
async function main(): Promise<void> {
  const [target] = process.argv.slice(2);
  if (!target) throw new Error('usage: write-openapi.ts <file.json>');
  writeFileSync(target, `${JSON.stringify(await buildGatewayDocument(), null, 2)}\n`);
}

void main();
