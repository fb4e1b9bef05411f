import { db, disconnectDb } from "../lib/db/client";
import { DEMO_ACCOUNTS, seedDemo } from "../prisma/seed";

export async function seedIfEmpty(): Promise<boolean> {
  if ((await db().user.count()) > 0) return false;
  await seedDemo();
  return true;
}

export function printAccounts() {
  console.log("Demo sign-in accounts:");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(9)} ${a.email.padEnd(20)} ${a.password}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seedIfEmpty()
    .then(async (seeded) => {
      console.log(seeded ? "Seeded demo data." : "Database already has data: not seeding.");
      printAccounts();
      await disconnectDb();
      process.exit(0);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
