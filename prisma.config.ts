import 'dotenv/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// The schema reads DATABASE_URL; without it the CLI silently falls back to the native engine, which it
// cannot download here. The default is the local development database.
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postline';

// The Prisma CLI's native schema engine cannot be downloaded here, so the CLI runs on the WASM schema
// engine through the pg driver adapter (README, "Prisma offline").
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
