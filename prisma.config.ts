import { defineConfig } from "prisma/config";

// Only `prisma generate` uses this; migrations run through scripts/db.ts (Wasm schema engine).
export default defineConfig({
  schema: "prisma/schema.prisma",
});
