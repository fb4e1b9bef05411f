import { createHmac } from "node:crypto";

/**
 * This server's keyed digest of `data` for one `purpose` (keyed with NEXTAUTH_SECRET, which every instance shares):
 * what its reader cannot recompute or test guesses against offline. The purpose is part of what is hashed, so a
 * digest made for one use never passes for another's. `null`: the data alone, as URL fingerprints have always been made
 * (they sit in saved configuration exports and in the audit trail, and must stay comparable; a URL holds no NUL, so
 * none passes for a purpose's digest).
 */
export const serverHmac = (purpose: string | null, data: string) =>
  createHmac("sha256", process.env.NEXTAUTH_SECRET ?? "").update(purpose === null ? data : `${purpose}\0${data}`);
