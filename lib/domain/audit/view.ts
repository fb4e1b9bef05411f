import { type AuditHashInput, type HashedAuditEvent, hashedAuditObject } from "./hash";

/**
 * An audit event as the API and exports return it: exactly the object the hash covers (position as a decimal
 * string, occurredAt as the ISO 8601 string that was hashed, before/after as stored JSON, prevHash), plus `hash`.
 * So a client recomputes `hash` from an item as it is: SHA-256 over RFC 8785 JSON of the item without `hash`.
 */
export type AuditEventView = HashedAuditEvent & { hash: string };

export function auditEventView(e: AuditHashInput & { hash: string }): AuditEventView {
  return { ...hashedAuditObject(e), hash: e.hash };
}
