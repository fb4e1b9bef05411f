/**
 * Adds a new audit signing key (the newest key file signs from the next start on; older ones stay, so what they
 * signed still verifies, and every public key stays published):  npx tsx scripts/rotate-audit-key.ts
 * Uses AUDIT_KEY_DIR, or the default beside the embedded database (lib/domain/audit/signing-keys.ts).
 */
import "./outside-next";

const { createKeyFile } = await import("../lib/domain/audit/signing-keys");
console.log(`New audit signing key: ${createKeyFile()}. Restart the app to sign with it.`);
