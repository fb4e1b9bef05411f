import { createHmac } from "node:crypto";

/**
 * This server's keyed digest of `data` for one `purpose` (keyed with NEXTAUTH_SECRET, which every instance shares):
 * what its reader cannot recompute or test guesses against offline. The purpose is part of what is hashed, so a
 * digest made for one use never passes for another's.
 */
export const serverHmac = (purpose: string, data: string) =>
  createHmac("sha256", process.env.NEXTAUTH_SECRET ?? "").update(`${purpose}\0${data}`);
